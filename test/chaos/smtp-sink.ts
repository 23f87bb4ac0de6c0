// A real SMTP server standing in for the mail provider of the chaos suite (the approach of
// apps/worker/src/activities/channel-once.int-spec.ts): it records every message it took, by the
// delivery id the worker puts in the Message-ID, so a repeated send shows up as a repeated id.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type SmtpSink = {
  /** smtp:// URL for the worker's SMTP_URL. */
  url: string;
  /** Delivery id of every message taken (from `Message-ID: <id@kairos>`), in arrival order. */
  received: string[];
  /**
   * Delay between taking a message's data and answering 250: a worker killed in that window has
   * handed the message over but never heard so (the SMTP case at-most-once cannot confirm).
   */
  delayMs: number;
  close(): Promise<void>;
};

const MESSAGE_ID = /^Message-ID:\s*<([^@>\s]+)@kairos>/im;

export async function startSmtpSink(delayMs = 0): Promise<SmtpSink> {
  const sink: SmtpSink = { url: '', received: [], delayMs, close: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        sink.received.push(MESSAGE_ID.exec(data)?.[1] ?? '(no message id)');
        setTimeout(() => callback(), sink.delayMs);
      });
    },
  });
  // A client killed mid-session resets its socket: that is the fault under test, not a sink failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
