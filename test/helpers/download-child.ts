// A separate process that starts one download and prints its progress as JSON lines; the test
// kills it with SIGKILL mid-download to prove a new process can resume from the bytes on disk.
import { makeRig } from './downloads.js';

const [dir, hfBase, uri] = process.argv.slice(2);
if (!dir || !hfBase || !uri) throw new Error('usage: download-child DIR HF_BASE URI');
const rig = makeRig({
  dir,
  hfBase,
  onEvent: (e) => {
    if (e.type === 'download.updated') process.stdout.write(`${JSON.stringify(e.download)}\n`);
  },
});
await rig.downloads.start(uri);
setInterval(() => {}, 1000); // keep running until killed
