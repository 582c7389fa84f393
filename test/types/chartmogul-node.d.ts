// The official ChartMogul Node client ships no types; the faithfulness tests use it as it is.
declare module 'chartmogul-node' {
  const ChartMogul: any;
  export = ChartMogul;
}
