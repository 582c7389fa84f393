// Emulated data source endpoints: list, retrieve, create, delete.

import { asString, fieldErrors, ok, plainError, Reply, type Router } from './http';
import type { EmulatorStore } from './store';

export function registerDataSourceRoutes(router: Router, store: EmulatorStore): void {
  router
    .add('GET', '/v1/data_sources', (req) => {
      const name = req.query.get('name');
      const system = req.query.get('system');
      const list = [...store.dataSources.values()].filter(
        (source) => (name === null || source.name === name) && (system === null || source.system === system),
      );
      return ok({ data_sources: list });
    })
    .add('POST', '/v1/data_sources', (req) => {
      const name = asString(req.body.name)?.trim();
      if (!name) return fieldErrors({ name: 'A name is required for each data source.' });
      if ([...store.dataSources.values()].some((source) => source.name === name)) {
        return fieldErrors({ name: 'Has already been taken.' });
      }
      return ok(store.addDataSource(name), 201);
    })
    .add('GET', '/v1/data_sources/:uuid', (req) => {
      const source = store.dataSources.get(req.params.uuid ?? '');
      return source ? ok(source) : plainError(404, 'Data source not found');
    })
    .add('DELETE', '/v1/data_sources/:uuid', (req) => {
      const uuid = req.params.uuid ?? '';
      if (!store.dataSources.delete(uuid)) return plainError(404, 'Data source not found');
      for (const customer of [...store.customers.values()]) {
        if (customer.data_source_uuid === uuid) store.deleteCustomer(customer);
      }
      return new Reply(204);
    });
}
