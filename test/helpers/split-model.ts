// Writes a small split Qwen2 GGUF (`base-0000k-of-0000N.gguf`): a first part with the model's
// metadata and later parts holding only their split keys, the way gguf-split lays them out.
import path from 'node:path';
import { meta, writeGguf } from '../../native/gguf/writer.js';

export async function writeSplitModel(dir: string, base: string, count: number): Promise<string[]> {
  const w = (n: number) => String(n).padStart(5, '0');
  const files = Array.from({ length: count }, (_, i) => path.join(dir, `${base}-${w(i + 1)}-of-${w(count)}.gguf`));
  const split = (i: number) =>
    [['split.no', meta.u16(i)], ['split.count', meta.u16(count)], ['split.tensors.count', meta.i32(count)]] as const;
  for (const [i, file] of files.entries()) {
    const model =
      i === 0
        ? ([
            ['general.architecture', meta.string('qwen2')],
            ['general.name', meta.string(`split ${base}`)],
            ['qwen2.context_length', meta.u32(32768)],
            ['qwen2.embedding_length', meta.u32(64)],
            ['qwen2.block_count', meta.u32(Math.max(2, count))], // one layer's tensor per part
            ['qwen2.attention.head_count', meta.u32(4)],
          ] as const)
        : [];
    await writeGguf(file, [...model, ...split(i)], [{ name: `blk.${i}.w`, dims: [32, 4], type: 'f32', data: new Float32Array(128).fill(i) }]);
  }
  return files;
}
