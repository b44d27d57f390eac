import type { StringTable } from './types.js';

export const common: StringTable = {
  area: 'common',
  en: {
    'common.cancel': 'Cancel',
    'common.save': 'Save',
    'common.delete': 'Delete',
    'common.close': 'Close',
  },
  'zh-CN': {
    'common.cancel': '取消',
    'common.save': '保存',
    'common.delete': '删除',
    'common.close': '关闭',
  },
};
