// Emulated data source endpoints: list, retrieve, create, delete.

import { asString, fieldErrors, ok, plainError, Reply, type RouteRequest, type Router } from './http';
import type { DataSource, EmulatorStore } from './store';

const INVOICE_HANDLING = {
  create_subscription_when_invoice_is: 'open',
  update_subscription_when_invoice_is: 'open',
  prevent_subscription_for_invoice_voided: true,
  prevent_subscription_for_invoice_refunded: false,
  prevent_subscription_for_invoice_written_off: true,
};

/** A data source as answered; the `with_…` query flags (2025) add its settings, here ChartMogul's defaults. */
function dataSourceJson(source: DataSource, req: RouteRequest): Record<string, unknown> {
  const flag = (name: string) => req.query.get(name) === 'true';
  return {
    ...source,
    ...(flag('with_processing_status') ? { processing_status: { processed: 0, failed: 0, pending: 0 } } : {}),
    ...(flag('with_auto_churn_subscription_setting')
      ? { auto_churn_subscription_setting: { enabled: false, interval: 30 } }
      : {}),
    ...(flag('with_invoice_handling_setting')
      ? { invoice_handling_setting: { manual: { ...INVOICE_HANDLING }, automatic: { ...INVOICE_HANDLING } } }
      : {}),
  };
}

export function registerDataSourceRoutes(router: Router, store: EmulatorStore): void {
  router
    .add('GET', '/v1/data_sources', (req) => {
      const name = req.query.get('name');
      const system = req.query.get('system');
      const list = [...store.dataSources.values()].filter(
        (source) => (name === null || source.name === name) && (system === null || source.system === system),
      );
      return ok({ data_sources: list.map((source) => dataSourceJson(source, req)) });
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
      return source ? ok(dataSourceJson(source, req)) : plainError(404, 'Data source not found');
    })
    .add('DELETE', '/v1/data_sources/:uuid', (req) => {
      if (!store.deleteDataSource(req.params.uuid ?? '')) return plainError(404, 'Data source not found');
      return new Reply(204);
    });
}
