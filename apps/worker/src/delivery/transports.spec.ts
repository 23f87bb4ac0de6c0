import {
  classifySmtpError,
  createHttpProvider,
  createSmtpTransport,
  DeliveryNotSentError,
  PermanentDeliveryError,
  SMTP_SEND_DEADLINE_MS,
  SMTP_TIMEOUTS,
} from './transports';

const smtpError = (message: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(message), fields);

describe('classifySmtpError: what an SMTP failure says about the message', () => {
  it.each([
    ['a 4xx reply to RCPT TO', { code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' }],
    ['a 4xx reply after the data', { code: 'EMESSAGE', responseCode: 452, command: 'DATA' }],
    ['a refused connection', { code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }],
    ['a connect timeout', { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT', command: 'CONN' }],
    ['a greeting timeout', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT', command: 'CONN' }],
    ['a failed login', { code: 'EAUTH', command: 'API' }],
  ])('%s: not sent, a retry may send', (_what, fields) => {
    expect(classifySmtpError(smtpError('boom', fields), 'd1')).toBeInstanceOf(DeliveryNotSentError);
  });

  it('a permanent refusal of the recipient or message: not sent, not retried', () => {
    const err = smtpError('no such user', {
      code: 'EENVELOPE',
      responseCode: 550,
      permanent: true,
      command: 'RCPT TO',
    });
    expect(classifySmtpError(err, 'd1')).toBeInstanceOf(PermanentDeliveryError);
  });

  it.each([
    [
      'an idle timeout waiting for the reply',
      { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT', command: 'CONN' },
    ],
    ['a connection reset mid-session', { code: 'ESOCKET', originalCode: 'ECONNRESET', command: 'CONN' }],
    ['a connection closed without a reply', { code: 'ECONNECTION', command: 'CONN' }],
  ])('%s: outcome unknown (the error is passed on as it is)', (_what, fields) => {
    const err = smtpError('boom', fields);
    expect(classifySmtpError(err, 'd1')).toBe(err);
  });
});

describe('transport properties', () => {
  it('SMTP cannot deduplicate and ends every send before the 1-minute send activity times out', () => {
    const smtp = createSmtpTransport({ url: 'smtp://127.0.0.1:1', from: 'k@example.com' });
    expect(smtp).toMatchObject({ kind: 'smtp', deduplicates: false, maxSendMs: SMTP_SEND_DEADLINE_MS });
    expect(SMTP_SEND_DEADLINE_MS).toBeLessThan(60_000);
    for (const ms of Object.values(SMTP_TIMEOUTS)) expect(ms).toBeLessThan(SMTP_SEND_DEADLINE_MS);
    smtp.close();
  });

  it('HTTP providers deduplicate on Idempotency-Key', () => {
    expect(createHttpProvider({ url: 'http://127.0.0.1:1', secret: 's' })).toMatchObject({
      kind: 'http',
      deduplicates: true,
      maxSendMs: 10_000,
    });
  });
});
