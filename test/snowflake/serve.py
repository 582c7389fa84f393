"""fakesnow (a local Snowflake stand-in backed by DuckDB) served over HTTP for Snowflake's Node driver.

Usage: python serve.py PORT [PASSWORD [PUBLIC_KEY_PEM_FILE]]

fakesnow answers every query in Arrow (`rowsetBase64`). Snowflake's Node driver (snowflake-sdk) reads only
the JSON result format, which is what real Snowflake sends it; it fails on an Arrow answer
(`createChunks`: "Cannot read properties of undefined (reading 'length')"). This wrapper changes nothing but
that: each Arrow answer is re-encoded as Snowflake's JSON rowset (values as text, in the encodings the driver
decodes: NUMBER as decimal text, DATE as days since the epoch, TIMESTAMP_* as "seconds.fraction", with
"seconds.fraction offset+1440" for TIMESTAMP_TZ, BOOLEAN as 1/0, VARIANT/OBJECT/ARRAY as JSON text), and the
answer says its query finished (`code`). With PASSWORD given, a login with another password is refused with
Snowflake's answer for it (code 390100), so credential errors can be tested; fakesnow itself accepts any.
With a public key file given, a key-pair login (a JWT) must be signed by its private key (else Snowflake's
code 390144).
"""

import base64
import json
import sys

import pyarrow as pa
import uvicorn
from starlette.responses import JSONResponse
from starlette.routing import Route

import fakesnow.server as server

PASSWORD = sys.argv[2] if len(sys.argv) > 2 else None
PUBLIC_KEY = open(sys.argv[3]).read() if len(sys.argv) > 3 else None


def text(value, column_type, scale):
    if value is None:
        return None
    if column_type == 'boolean':
        return '1' if value else '0'
    if column_type == 'date':
        return str((value - __import__('datetime').date(1970, 1, 1)).days)
    if column_type in ('timestamp_ntz', 'timestamp_ltz', 'timestamp_tz'):
        # Arrow carries a NULL timestamp as a struct of nulls; Snowflake's JSON answer carries null.
        if value['epoch'] is None:
            return None
        seconds = f"{value['epoch']}.{str(value['fraction']).rjust(9, '0')[: scale or 9]}"
        return f"{seconds} {value['timezone']}" if column_type == 'timestamp_tz' else seconds
    if column_type == 'time':
        return f"{value // 1_000_000_000}.{str(value % 1_000_000_000).rjust(9, '0')}"
    if column_type == 'fixed' and scale:
        return format(value, 'f') if not isinstance(value, int) else f"{value / 10 ** scale:.{scale}f}"
    if column_type == 'real':
        return repr(float(value))
    if column_type in ('variant', 'object', 'array') and not isinstance(value, str):
        return json.dumps(value)
    return str(value)


def as_json(data):
    rowtype = data.get('rowtype') or []
    encoded = data.pop('rowsetBase64', '')
    rows = data.get('rowset') or []
    if encoded:
        table = pa.ipc.open_stream(base64.b64decode(encoded)).read_all()
        columns = [table.column(index).to_pylist() for index in range(table.num_columns)]
        for values in zip(*columns):
            rows.append([text(value, column['type'], column.get('scale')) for value, column in zip(values, rowtype)])
    data['rowset'] = rows
    data['queryResultFormat'] = 'json'
    data['returned'] = len(rows)
    data['total'] = len(rows)
    data['version'] = 1
    return data


async def query_request(request):
    response = await server.query_request(request)
    body = json.loads(response.body)
    if body.get('success') and isinstance(body.get('data'), dict):
        body['data'] = as_json(body['data'])
    return JSONResponse(body, status_code=response.status_code)


def refused(code, message):
    return JSONResponse({'data': {'nextAction': 'RETRY_LOGIN'}, 'code': code, 'message': message,
                         'success': False, 'headers': None})


async def login_request(request):
    data = json.loads(await request.body())['data']
    if data.get('AUTHENTICATOR') == 'SNOWFLAKE_JWT':
        try:
            import jwt
            # The signature is what proves the key. The Node driver writes iat and exp in milliseconds, which
            # Snowflake accepts and PyJWT would read as far in the future: those are not checked.
            jwt.decode(data.get('TOKEN', ''), PUBLIC_KEY, algorithms=['RS256'],
                       options={'verify_iat': False, 'verify_exp': False})
        except Exception:
            return refused('390144', 'JWT token is invalid.')
    elif PASSWORD is not None and data.get('PASSWORD') != PASSWORD:
        return refused('390100', 'Incorrect username or password was specified.')
    return await server.login_request(request)


routes = [
    Route('/queries/v1/query-request', query_request, methods=['POST']),
    Route('/session/v1/login-request', login_request, methods=['POST']),
    Route('/telemetry/send', lambda _: JSONResponse({'success': True}), methods=['POST']),
    *[route for route in server.routes if route.path not in ('/queries/v1/query-request', '/session/v1/login-request')],
]
server.app.router.routes = routes

if __name__ == '__main__':
    uvicorn.run(server.app, host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')
