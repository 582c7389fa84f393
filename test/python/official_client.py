"""Drives the emulator with ChartMogul's official Python client (`chartmogul` on PyPI), unchanged, over
every endpoint the emulator serves. Run by test/emulator-python-client.test.ts, which passes the emulator
in CHARTMOGUL_API_URL, CHARTMOGUL_API_KEY and DATA_SOURCE_UUID. The client parses every answer with its
own schemas (a `null` name or email is refused there), so a step that returns has been read. Prints the
steps it finished as JSON on the last line; any failure exits non-zero with the reason."""

import json
import os
import sys

import chartmogul
import requests
from chartmogul import APIError

config = chartmogul.Config(os.environ['CHARTMOGUL_API_KEY'], max_retries=0)
config.uri = os.environ['CHARTMOGUL_API_URL'] + '/v1'
ds = os.environ['DATA_SOURCE_UUID']
owner = os.environ['ACCOUNT_USER']
steps = []


def step(name):
    def run(action):
        action()
        steps.append(name)
    return run


def refused(call, status):
    """The call fails with this HTTP status; answers ChartMogul's JSON body."""
    try:
        call.get()
    except APIError as error:
        response = error.__cause__.response
        assert response.status_code == status, (response.status_code, response.text)
        return response.json()
    raise AssertionError('the call should have failed with %d' % status)


@step('ping')
def _():
    assert chartmogul.Ping.ping(config).get().data == 'pong!'
    wrong = chartmogul.Config('not-the-key', max_retries=0)
    wrong.uri = config.uri
    assert refused(chartmogul.Ping.ping(wrong), 401) == {'code': 401, 'message': 'No valid API key provided', 'param': None}


@step('data sources')
def _():
    created = chartmogul.DataSource.create(config, data={'name': 'Python source'}).get()
    assert created.uuid.startswith('ds_')
    listed = chartmogul.DataSource.all(config, with_processing_status=True).get()
    assert created.uuid in [source.uuid for source in listed.data_sources]
    assert chartmogul.DataSource.retrieve(config, uuid=created.uuid, with_auto_churn_subscription_setting=True).get().name == 'Python source'
    chartmogul.DataSource.destroy(config, uuid=created.uuid).get()
    assert refused(chartmogul.DataSource.retrieve(config, uuid=created.uuid), 404) == {'error': 'Data source not found'}


customers = {}


@step('customers with and without email, name and company')
def _():
    bodies = {
        'full': {'name': 'Full', 'email': 'full@example.com', 'company': 'Full Ltd', 'country': 'US', 'state': 'US-CA',
                 'city': 'San Francisco', 'zip': '94107', 'owner': owner, 'website_url': 'https://full.example.com',
                 'lead_created_at': '2022-10-14 00:00:00',
                 'attributes': {'tags': ['vip'], 'custom': [{'type': 'Integer', 'key': 'seats', 'value': 3}]}},
        'no-email': {'name': 'No email'},
        'no-name': {'email': 'noname@example.com'},
        'bare': {},
        'company-only': {'company': 'Company Only'},
    }
    for key, body in bodies.items():
        customer = chartmogul.Customer.create(config, data={'data_source_uuid': ds, 'external_id': 'py-' + key, **body}).get()
        customers[key] = customer
        assert customer.uuid.startswith('cus_')
        assert isinstance(customer.name, str) and isinstance(customer.email, str), (customer.name, customer.email)
    assert customers['no-email'].email == ''
    assert customers['no-name'].name == ''
    assert customers['full'].state == 'CA'
    assert customers['full'].attributes.custom == {'seats': 3}
    assert customers['full'].chartmogul_url.endswith('-Full_Ltd'), customers['full'].chartmogul_url
    assert customers['company-only'].chartmogul_url.endswith('-Company_Only')


@step('customers listed, searched, retrieved')
def _():
    listed = chartmogul.Customer.all(config, data_source_uuid=ds, per_page=200).get()
    found = {customer.external_id for customer in listed.entries}
    assert {'py-full', 'py-no-email', 'py-no-name', 'py-bare', 'py-company-only'} <= found, found
    assert listed.has_more is False
    one = chartmogul.Customer.all(config, data_source_uuid=ds, external_id='py-bare').get()
    assert [customer.external_id for customer in one.entries] == ['py-bare']
    for customer in customers.values():
        assert chartmogul.Customer.retrieve(config, uuid=customer.uuid).get().external_id == customer.external_id
    searched = chartmogul.Customer.search(config, email='full@example.com').get()
    assert [customer.external_id for customer in searched.entries] == ['py-full']
    assert refused(chartmogul.Customer.search(config, email='no@email.com'), 404)['param'] == 'email'


@step('customer updated; an owner who is not a user is not kept')
def _():
    uuid = customers['no-email'].uuid
    updated = chartmogul.Customer.modify(config, uuid=uuid, data={'email': 'now@example.com', 'owner': 'stranger@example.com'}).get()
    assert updated.email == 'now@example.com'
    raw = chartmogul.Customer.retrieve(config, uuid=uuid).get()
    assert raw.email == 'now@example.com'
    chartmogul.Customer.modify(config, uuid=customers['full'].uuid, data={'owner': 'stranger@example.com'}).get()
    # The client's schema leaves `owner` out, so read it as sent.
    raw = requests.get(config.uri + '/customers/' + customers['full'].uuid, auth=config.auth, timeout=10).json()
    assert raw['owner'] == owner, raw['owner']


@step('customer created with a primary contact')
def _():
    customer = chartmogul.Customer.create(config, data={
        'data_source_uuid': ds, 'external_id': 'py-primary', 'name': 'Primary',
        'primary_contact': {'first_name': 'Anna', 'email': 'anna@primary.example.com'},
    }).get()
    contacts = chartmogul.Contact.all(config, customer_uuid=customer.uuid).get()
    assert [contact.email for contact in contacts.entries] == ['anna@primary.example.com']


@step('customer attributes and custom attributes')
def _():
    uuid = customers['bare'].uuid
    added = chartmogul.CustomAttributes.add(config, uuid=uuid, data={'custom': [
        {'type': 'String', 'key': 'channel', 'value': 'web'}, {'type': 'Boolean', 'key': 'pro', 'value': True}]}).get()
    assert added.custom == {'channel': 'web', 'pro': True}
    updated = chartmogul.CustomAttributes.update(config, uuid=uuid, data={'custom': {'channel': 'email'}}).get()
    assert updated.custom['channel'] == 'email'
    attributes = chartmogul.Attributes.retrieve(config, uuid=uuid).get()
    assert attributes.custom['pro'] is True
    chartmogul.CustomAttributes.remove(config, uuid=uuid, data={'custom': ['pro']}).get()
    assert 'pro' not in chartmogul.Attributes.retrieve(config, uuid=uuid).get().custom


@step('contacts with defined and undefined custom keys')
def _():
    parent = customers['full'].uuid
    kept = chartmogul.Contact.create(config, data={
        'customer_uuid': parent, 'data_source_uuid': ds, 'email': 'kept@example.com', 'first_name': 'Kept',
        'custom': [{'key': 'Facebook', 'value': 'kept.fb'}, {'key': 'Undefined', 'value': 'dropped'}]}).get()
    assert kept.custom == {'Facebook': 'kept.fb'}, kept.custom
    bare = chartmogul.Customer.createContact(config, uuid=parent, data={'data_source_uuid': ds, 'email': 'bare@example.com'}).get()
    assert bare.position == kept.position + 1
    assert chartmogul.Contact.retrieve(config, uuid=kept.uuid).get().first_name == 'Kept'
    for query in ({'customer_uuid': parent}, {'customer_external_id': 'py-full'}, {'data_source_uuid': ds, 'email': 'kept@example.com'}):
        listed = chartmogul.Contact.all(config, **query).get()
        assert kept.uuid in [contact.uuid for contact in listed.entries], query
    of_customer = chartmogul.Customer.contacts(config, uuid=parent).get()
    assert [contact.uuid for contact in of_customer.entries][:2] == [kept.uuid, bare.uuid]
    modified = chartmogul.Contact.modify(config, uuid=kept.uuid, data={'title': 'CFO', 'custom': [{'key': 'Undefined', 'value': 'x'}]}).get()
    assert modified.title == 'CFO' and modified.custom == {'Facebook': 'kept.fb'}
    merged = chartmogul.Contact.merge(config, into_uuid=kept.uuid, from_uuid=bare.uuid).get()
    assert merged.uuid == kept.uuid
    chartmogul.Contact.destroy(config, uuid=kept.uuid).get()
    assert refused(chartmogul.Contact.retrieve(config, uuid=kept.uuid), 404)['param'] == 'contact_uuid'


@step('customer errors and delete')
def _():
    duplicate = refused(chartmogul.Customer.create(config, data={'data_source_uuid': ds, 'external_id': 'py-bare'}), 422)
    assert list(duplicate['errors']) == ['external_id']
    chartmogul.Customer.destroy(config, uuid=customers['bare'].uuid).get()
    assert refused(chartmogul.Customer.retrieve(config, uuid=customers['bare'].uuid), 404)['param'] == 'customer_id'


@step('plans created, listed by external_id, retrieved, modified, deleted')
def _():
    created = chartmogul.Plan.create(config, data={
        'data_source_uuid': ds, 'external_id': 'py-plan', 'name': 'Gold', 'interval_count': 1, 'interval_unit': 'month'}).get()
    assert created.uuid.startswith('pl_') and created.interval_count == 1, created
    listed = chartmogul.Plan.all(config, data_source_uuid=ds, external_id='py-plan').get()
    assert [plan.uuid for plan in listed.plans] == [created.uuid], listed
    # ChartMogul answers a plan update 202 (recorded), a status whose body this client drops: read it back.
    chartmogul.Plan.modify(config, uuid=created.uuid, data={'interval_count': 3, 'name': 'Gold quarterly'}).get()
    modified = chartmogul.Plan.retrieve(config, uuid=created.uuid).get()
    assert (modified.name, modified.interval_count, modified.interval_unit) == ('Gold quarterly', 3, 'month')
    duplicate = refused(chartmogul.Plan.create(config, data={
        'data_source_uuid': ds, 'external_id': 'py-plan', 'name': 'Again', 'interval_count': 1, 'interval_unit': 'month'}), 422)
    assert list(duplicate['errors']) == ['external_id'], duplicate
    chartmogul.Plan.destroy(config, uuid=created.uuid).get()
    refused(chartmogul.Plan.retrieve(config, uuid=created.uuid), 404)


@step('invoices imported, listed by external_id, retrieved, given a transaction, their subscriptions listed, deleted')
def _():
    customer = chartmogul.Customer.create(config, data={'data_source_uuid': ds, 'external_id': 'py-billing'}).get()
    plan = chartmogul.Plan.create(config, data={
        'data_source_uuid': ds, 'external_id': 'py-billing-plan', 'name': 'Monthly', 'interval_count': 1, 'interval_unit': 'month'}).get()
    imported = chartmogul.Invoice.create(config, uuid=customer.uuid, data={'invoices': [{
        'external_id': 'py-inv-1', 'date': '2026-01-01 00:00:00', 'currency': 'EUR',
        'line_items': [{'type': 'subscription', 'plan_uuid': plan.uuid, 'subscription_external_id': 'py-sub',
                        'service_period_start': '2026-01-01', 'service_period_end': '2026-02-01', 'amount_in_cents': 1500}],
        'transactions': [{'type': 'payment', 'date': '2026-01-01', 'result': 'successful'}]}]}).get()
    invoice = imported.invoices[0]
    assert invoice.uuid.startswith('inv_') and invoice.line_items[0].plan_uuid == plan.uuid, invoice
    listed = chartmogul.Invoice.all(config, data_source_uuid=ds, external_id='py-inv-1').get()
    assert [found.uuid for found in listed.invoices] == [invoice.uuid], listed
    of_customer = chartmogul.Invoice.all(config, uuid=customer.uuid).get()
    assert of_customer.customer_uuid == customer.uuid and len(of_customer.invoices) == 1
    assert chartmogul.Invoice.retrieve(config, uuid=invoice.uuid).get().currency == 'EUR'
    refund = chartmogul.Transaction.create(config, uuid=invoice.uuid, data={
        'type': 'refund', 'date': '2026-01-10', 'result': 'successful', 'external_id': 'py-tr-1', 'amount_in_cents': 500}).get()
    assert refund.uuid.startswith('tr_') and refund.amount_in_cents == 500
    again = refused(chartmogul.Invoice.create(config, uuid=customer.uuid, data={'invoices': [{
        'external_id': 'py-inv-1', 'date': '2026-01-01', 'currency': 'EUR', 'line_items': [{'type': 'one_time', 'amount_in_cents': 1}]}]}), 422)
    assert again['invoices'][0]['errors'] == {'external_id': 'The external ID for this invoice already exists in our system.'}, again
    subscriptions = chartmogul.Customer.subscriptions(config, uuid=customer.uuid).get()
    assert [(found.external_id, found.plan, found.mrr, found.currency) for found in subscriptions.entries] == [
        ('py-sub', 'Monthly', 1500, 'EUR')], subscriptions
    imported_list = chartmogul.CustomerSubscription.list_imported(config, uuid=customer.uuid).get()
    assert [found.uuid for found in imported_list.subscriptions] == [invoice.line_items[0].subscription_uuid], imported_list
    chartmogul.Invoice.destroy(config, uuid=invoice.uuid).get()
    refused(chartmogul.Invoice.retrieve(config, uuid=invoice.uuid), 404)


@step('2026: line items added, changed and deleted; a transaction found by external_id, changed, deleted; an invoice written off')
def _():
    customer = chartmogul.Customer.create(config, data={'data_source_uuid': ds, 'external_id': 'py-2026'}).get()
    imported = chartmogul.Invoice.create(config, uuid=customer.uuid, data={'invoices': [{
        'external_id': 'py-inv-2026', 'date': '2026-01-01', 'currency': 'USD',
        'line_items': [{'type': 'one_time', 'external_id': 'py-li-1', 'amount_in_cents': 1000}],
        'transactions': [{'type': 'payment', 'external_id': 'py-tr-2026', 'date': '2026-01-02', 'result': 'successful',
                          'amount_in_cents': 1000}]}]}).get()
    invoice = imported.invoices[0]
    added = chartmogul.LineItem.create(config, uuid=invoice.uuid, data={
        'type': 'one_time', 'external_id': 'py-li-2', 'amount_in_cents': 500}).get()
    assert added.uuid.startswith('li_'), added
    changed = chartmogul.LineItem.modify(config, uuid=invoice.line_items[0].uuid, data={'amount_in_cents': 1200}).get()
    assert (changed.uuid, changed.amount_in_cents) == (invoice.line_items[0].uuid, 1200), changed
    chartmogul.LineItem.destroy(config, uuid=added.uuid).get()
    # The client reads one object from a lookup by data source and external id, as ChartMogul documents it.
    found = chartmogul.Transaction.retrieve(config, data_source_uuid=ds, external_id='py-tr-2026').get()
    assert found.uuid == invoice.transactions[0].uuid, found
    paid = chartmogul.Transaction.modify(config, uuid=found.uuid, data={'amount_in_cents': 1200}).get()
    assert paid.amount_in_cents == 1200, paid
    chartmogul.Invoice.update_status(config, data_source_uuid=ds, external_id='py-inv-2026', data={'status': 'written_off'}).get()
    held = chartmogul.Invoice.retrieve(config, uuid=invoice.uuid).get()
    assert held.status == 'written_off' and [item.amount_in_cents for item in held.line_items] == [1200], held
    chartmogul.Transaction.destroy(config, uuid=found.uuid).get()
    assert chartmogul.Invoice.retrieve(config, uuid=invoice.uuid).get().transactions == []


@step('2026: tags added and removed; a subscription event created, listed by external_id, changed and deleted by it')
def _():
    customer = chartmogul.Customer.create(config, data={'data_source_uuid': ds, 'external_id': 'py-tags'}).get()
    added = chartmogul.Tags.add(config, uuid=customer.uuid, data={'tags': ['vip', 'beta']}).get()
    assert sorted(added.tags) == ['beta', 'vip'], added
    removed = chartmogul.Tags.remove(config, uuid=customer.uuid, data={'tags': ['beta']}).get()
    assert removed.tags == ['vip'], removed
    event = chartmogul.SubscriptionEvent.create(config, data={'subscription_event': {
        'data_source_uuid': ds, 'customer_external_id': 'py-tags', 'external_id': 'py-ev-1',
        'event_type': 'subscription_cancellation_scheduled', 'event_date': '2026-11-01', 'effective_date': '2027-01-01',
        'subscription_external_id': 'py-sub-1'}}).get()
    assert isinstance(event.id, int), event
    listed = chartmogul.SubscriptionEvent.all(config, data_source_uuid=ds, external_id='py-ev-1').get()
    assert [found.id for found in listed.subscription_events] == [event.id], listed
    changed = chartmogul.SubscriptionEvent.modify_with_params(
        config, data_source_uuid=ds, external_id='py-ev-1', data={'effective_date': '2027-02-01'}).get()
    assert changed.id == event.id, changed
    chartmogul.SubscriptionEvent.destroy_with_params(config, data_source_uuid=ds, external_id='py-ev-1').get()
    assert chartmogul.SubscriptionEvent.all(config, data_source_uuid=ds, external_id='py-ev-1').get().subscription_events == []


@step('2026: a bulk import created and retrieved by the server\'s id')
def _():
    created = chartmogul.JsonImport.create(config, data_source_uuid=ds, data={
        'external_id': 'py-bulk-1', 'customers': [{'external_id': 'py-bulk-c1', 'name': 'Bulk One'}]}).get()
    assert created.status == 'queued' and created.external_id == 'py-bulk-1', created
    tracked = chartmogul.JsonImport.retrieve(config, data_source_uuid=ds, id=created.id).get()
    assert tracked.status == 'completed', tracked
    assert tracked.status_details['py-bulk-c1'] == {'status': 'imported', 'customers': {'status': 'imported'}}, tracked


print(json.dumps({'client': 'chartmogul-python ' + chartmogul.__version__, 'steps': steps}))
sys.exit(0)
