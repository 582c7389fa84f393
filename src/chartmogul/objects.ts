// ChartMogul's objects as its API answers them, where more than one module needs the shape. Types only:
// the client reads them, the emulator answers with them.

/** A data source (called "source" in newer docs). */
export interface DataSource {
  uuid: string;
  name: string;
  system: string;
  created_at: string;
  status: string;
}
