// The emulated account's customers, as the emulator keeps them (its routes: ./emulator.ts).

import type { EmulatorStore, RecordTable } from '../../src/emulator/store';

export interface Customer {
  id: number;
  uuid: string;
  data_source_uuid: string;
  external_id: string;
  /** ChartMogul answers an unset name, email or company as "", never null. */
  name: string;
  email: string;
  company: string;
  country: string | null;
  state: string | null;
  city: string | null;
  zip: string | null;
  lead_created_at: string | null;
  free_trial_started_at: string | null;
  owner: string | null;
  website_url: string | null;
  status: string;
  tags: string[];
  custom: Record<string, unknown>;
}

/** The emulated account's customers. */
export function customersIn(store: EmulatorStore): RecordTable<Customer> {
  return store.table<Customer>('customers');
}
