import { DEV_TRACKING_SECRET } from '@kairos/codec';
import { DEFAULT_COST_PER_MESSAGE, loadGatewayConfig } from '../config';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/kairos' };

describe('measurement configuration', () => {
  it('defaults the cost per message and the development tracking secret', () => {
    const config = loadGatewayConfig(base);
    expect(config.costPerMessage).toEqual(DEFAULT_COST_PER_MESSAGE);
    expect(config.trackingKeys).toEqual([{ kid: '0', secret: DEV_TRACKING_SECRET }]);
  });

  it('merges KAIROS_COST_PER_MESSAGE over the defaults', () => {
    const config = loadGatewayConfig({
      ...base,
      KAIROS_COST_PER_MESSAGE: '{"sms":0.02}',
      KAIROS_TRACKING_SECRET: 'a-production-secret-of-32-chars!!',
    });
    expect(config.costPerMessage).toEqual({ ...DEFAULT_COST_PER_MESSAGE, sms: 0.02 });
    expect(config.trackingKeys).toEqual([{ kid: '0', secret: 'a-production-secret-of-32-chars!!' }]);
  });

  it('names every invalid measurement key', () => {
    expect(() =>
      loadGatewayConfig({
        ...base,
        KAIROS_COST_PER_MESSAGE: '{"fax":1,"sms":-1}',
        KAIROS_TRACKING_SECRET: 'short',
      }),
    ).toThrow(
      /KAIROS_COST_PER_MESSAGE\.sms: must be a cost of at least 0[\s\S]*Unrecognized key: "fax"[\s\S]*KAIROS_TRACKING_SECRET: must be at least 16/,
    );
    expect(() => loadGatewayConfig({ ...base, KAIROS_COST_PER_MESSAGE: 'cheap' })).toThrow(
      /KAIROS_COST_PER_MESSAGE: must be JSON/,
    );
  });
});
