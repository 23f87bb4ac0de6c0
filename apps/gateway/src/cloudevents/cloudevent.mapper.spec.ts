import { cloudEventId, cloudEventToEvent, fromBinary } from './cloudevent.mapper';

const base = {
  specversion: '1.0',
  id: 'A-1',
  source: 'https://shop.example/orders',
  type: 'Order Completed',
};

describe('cloudEventToEvent', () => {
  it('maps subject, type, time, data and (source, id) onto the internal event', () => {
    const mapped = cloudEventToEvent({
      ...base,
      subject: 'c_42',
      time: '2026-11-24T10:00:00Z',
      data: { total: 3 },
    });
    expect(mapped).toEqual({
      ok: true,
      event: {
        id: cloudEventId(base.source, base.id),
        customerId: 'c_42',
        name: 'Order Completed',
        category: 'external',
        occurredAt: '2026-11-24T10:00:00Z',
        source: base.source,
        properties: { total: 3 },
      },
    });
  });

  it('derives an id within the internal id rules, the same for the same (source, id) only', () => {
    const id = cloudEventId(base.source, base.id);
    expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(cloudEventId(base.source, base.id)).toBe(id);
    expect(cloudEventId('https://shop.example/returns', base.id)).not.toBe(id);
    // No joining ambiguity: ("a/b", "c") and ("a", "b/c") are different events.
    expect(cloudEventId('a#b', 'c')).not.toBe(cloudEventId('a', 'b#c'));
  });

  it.each([
    ['a string', 'hello', { data: 'hello' }],
    ['a number', 42, { data: 42 }],
    ['an array', [1, 2], { data: [1, 2] }],
  ])('keeps %s data under properties.data', (_, data, properties) => {
    const mapped = cloudEventToEvent({ ...base, subject: 'c_1', data });
    expect(mapped.ok && mapped.event.properties).toEqual(properties);
  });

  it.each([null, undefined])('maps %p data (no data) to empty properties', (data) => {
    const mapped = cloudEventToEvent({ ...base, subject: 'c_1', data });
    expect(mapped.ok && mapped.event.properties).toEqual({});
  });

  it('prefers the customerid extension (string or integer) over subject', () => {
    const mapped = cloudEventToEvent({ ...base, subject: 'order-9', customerid: 1234 });
    expect(mapped.ok && mapped.event.customerId).toBe('1234');
  });

  it('keeps the first 64 characters of a long source, never half a surrogate pair', () => {
    const source = `${'s'.repeat(63)}😀tail`;
    const mapped = cloudEventToEvent({ ...base, source, subject: 'c_1' });
    expect(mapped.ok && mapped.event.source).toBe('s'.repeat(63));
    expect(mapped.ok && mapped.event.id).toBe(cloudEventId(source, base.id));
  });

  it.each([
    ['no customer', { ...base }, 'subject', /customer id/],
    ['a bad customerid', { ...base, customerid: 'a b' }, 'customerid', /1-128 characters/],
    ['a bad subject', { ...base, subject: 'a/b' }, 'subject', /1-128 characters/],
    ['a time without offset', { ...base, subject: 'c', time: '2026-11-24T10:00:00' }, 'time', /offset/],
    ['a bad name', { ...base, subject: 'c', type: ' x' }, 'type', /whitespace/],
    ['specversion 0.3', { ...base, subject: 'c', specversion: '0.3' }, 'specversion', /must be "1.0"/],
    ['binary data', { ...base, subject: 'c', data_base64: 'AAE=' }, 'data_base64', /as JSON/],
    [
      'data too deep',
      { ...base, subject: 'c', data: { a: { b: { c: { d: { e: { f: 1 } } } } } } },
      'data.a.b.c.d.e',
      /5 levels/,
    ],
    ['NUL in an attribute', { ...base, subject: 'c', source: 'a\u0000' }, 'source', /NUL/],
  ])('refuses %s, naming the attribute', (_, ce, path, message) => {
    const mapped = cloudEventToEvent(ce);
    expect(mapped.ok).toBe(false);
    expect(!mapped.ok && mapped.errors).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it('names every missing required attribute', () => {
    const mapped = cloudEventToEvent({ subject: 'c' });
    expect(!mapped.ok && mapped.errors.map((e) => [e.path, e.message])).toEqual([
      ['specversion', 'is required: "1.0"'],
      ['id', expect.stringMatching(/^is required/)],
      ['source', expect.stringMatching(/^is required/)],
      ['type', expect.stringMatching(/^is required/)],
    ]);
  });
});

describe('fromBinary', () => {
  it('reads ce-* headers (percent-decoded), the content type and the body', () => {
    const ce = fromBinary(
      {
        'ce-specversion': '1.0',
        'ce-id': '1',
        'ce-source': '/s',
        'ce-type': 'Commande%20pass%C3%A9e',
        'ce-customerid': 'c_1',
        'content-type': 'application/json',
        authorization: 'Bearer secret',
      },
      { total: 1 },
    );
    expect(ce).toEqual({
      specversion: '1.0',
      id: '1',
      source: '/s',
      type: 'Commande passée',
      customerid: 'c_1',
      datacontenttype: 'application/json',
      data: { total: 1 },
    });
  });

  it('keeps a malformed percent escape as sent', () => {
    expect(fromBinary({ 'ce-type': 'x%zz' }, undefined)).toEqual({ type: 'x%zz' });
  });
});
