// Raw HTTP over node:net, for requests no well-behaved client would send: the bytes go out exactly as
// given, and the reply is whatever the server wrote before it closed the connection.
import net from 'node:net';

export interface RawReply {
  /** The status of the first response, or null when the server closed without answering. */
  status: number | null;
  /** Everything the server wrote, as latin1 text (bytes kept one for one). */
  text: string;
}

export interface RawOptions {
  /** Half-close the connection after sending (the client says it will send nothing more). */
  end?: boolean;
  /** Reset the connection (TCP RST) right after sending, without waiting for any answer. */
  reset?: boolean;
}

const statusOf = (text: string): number | null => {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return match ? Number(match[1]) : null;
};

export function rawRequest(port: number, data: string | Buffer, opts: RawOptions = {}): Promise<RawReply> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: '127.0.0.1', port });
    const finish = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: statusOf(text), text });
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // A switched protocol never closes by itself: the answer is complete once its head is.
      const text = Buffer.concat(chunks).toString('latin1');
      if (statusOf(text) === 101 && text.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', finish);
    socket.once('connect', () => {
      if (opts.reset) {
        socket.write(data, () => socket.resetAndDestroy());
        return;
      }
      if (opts.end) socket.end(data);
      else socket.write(data);
    });
  });
}

/** A request in the given bytes, with a CRLF after each header line and the blank line at the end. */
export function rawLines(requestLine: string, headers: string[] = [], body = ''): string {
  return [requestLine, ...headers, '', body].join('\r\n');
}
