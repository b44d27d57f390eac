export interface StringTable {
  /** e.g. 'chat', 'models': keys of an area start with `${area}.` */
  area: string;
  en: Record<string, string>;
  'zh-CN': Record<string, string>;
}
