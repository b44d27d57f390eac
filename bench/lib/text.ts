// Deterministic filler text (English and Chinese) for prompts, documents and the history store.
const EN = (
  'the of and to in is that it for on with as was by at from this be are or an have not they which ' +
  'model memory thread kernel token prompt answer question document lighthouse river mountain garden ' +
  'engine window library history search market winter summer morning evening city village harbour ' +
  'quickly slowly carefully bright quiet ancient modern simple complex useful curious patient'
).split(' ');
const ZH = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府受';

export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

/** About `words` English words in sentences. */
export function englishText(words: number, seed = 1): string {
  const r = prng(seed);
  const out: string[] = [];
  let sentence: string[] = [];
  for (let i = 0; i < words; i++) {
    sentence.push(EN[Math.floor(r() * EN.length)]!);
    if (sentence.length >= 8 + Math.floor(r() * 10)) {
      const s = sentence.join(' ');
      out.push(s[0]!.toUpperCase() + s.slice(1) + '.');
      sentence = [];
    }
  }
  if (sentence.length) out.push(sentence.join(' ') + '.');
  return out.join(' ');
}

/** A fixed vocabulary of 400 Chinese "words" (2–4 characters) made from common characters. */
export const CHINESE_WORDS: readonly string[] = (() => {
  const r = prng(99);
  const words = new Set<string>();
  while (words.size < 400) {
    const len = r() < 0.6 ? 2 : r() < 0.7 ? 3 : 4;
    let w = '';
    for (let i = 0; i < len; i++) w += ZH[Math.floor(r() * ZH.length)];
    words.add(w);
  }
  return [...words];
})();

/** About `chars` Chinese characters: words of the vocabulary (frequent ones more often), with punctuation. */
export function chineseText(chars: number, seed = 1): string {
  const r = prng(seed);
  let out = '';
  while (out.length < chars) {
    out += CHINESE_WORDS[Math.floor(CHINESE_WORDS.length * r() * r())];
    if (r() < 0.12) out += r() < 0.7 ? '，' : '。';
  }
  return out + '。';
}

export const ENGLISH_WORDS = EN;
export const CHINESE_CHARS = ZH;

/** Qwen2's ChatML, as the engine's chat wrapper renders it, up to the start of the answer. */
export function chatmlPrompt(system: string, user: string): string {
  return `<|im_start|>system\n${system}<|im_end|>\n<|im_start|>user\n${user}<|im_end|>\n<|im_start|>assistant\n`;
}
