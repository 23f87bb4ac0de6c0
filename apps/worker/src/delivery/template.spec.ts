import { singleTrackingKey } from '@kairos/codec';
import { renderTemplate } from './template';

const SCRIPT = '<script>alert("x")</script>';
const context = { e: { properties: { note: SCRIPT } } };
const tracking = {
  publicUrl: 'https://kairos.example',
  keys: singleTrackingKey('kairos-test-secret-0001'),
  deliveryId: 'd1',
};

describe('renderTemplate: output escaping', () => {
  it('escapes every value printed into an HTML email body, not the markup the template wrote', async () => {
    const source =
      '---\nsubject: About {{ e.properties.note }}\n---\n<p title="{{ e.properties.note }}">{{ e.properties.note }}</p>';
    for (const track of [undefined, tracking]) {
      const out = await renderTemplate(source, 'email', context, track);
      expect(out.body).not.toContain('<script>');
      expect(out.body).toMatch(
        /^<p title="&lt;script&gt;alert\(&#34;x&#34;\)&lt;\/script&gt;">&lt;script&gt;alert\(&#34;x&#34;\)&lt;\/script&gt;<\/p>/,
      );
      // The subject is a header, not HTML: printed as it is.
      expect(out.subject).toBe(`About ${SCRIPT}`);
    }
  });

  it('prints values unescaped in text parts: plain-text email, SMS, push and webhook bodies', async () => {
    const source = '---\nsubject: s\nsms: SMS {{ e.properties.note }}\n---\nHello {{ e.properties.note }}';
    expect((await renderTemplate(source, 'email', context)).body).toBe(`Hello ${SCRIPT}`);
    expect((await renderTemplate(source, 'sms', context)).body).toBe(`SMS ${SCRIPT}`);
    expect((await renderTemplate(source, 'push', context)).body).toBe(`Hello ${SCRIPT}`);
    expect((await renderTemplate(source, 'webhook', context)).body).toBe(`Hello ${SCRIPT}`);
  });

  it('decides HTML from the markup the template wrote: a tag coming from data does not make it HTML', async () => {
    const out = await renderTemplate('Hello {{ e.properties.note }}', 'email', context, tracking);
    expect(out.body).toBe(`Hello ${SCRIPT}`);
    expect(out.body).not.toContain('/t/o/');
    const html = await renderTemplate('<b>Hello</b> {{ e.properties.note }}', 'email', context, tracking);
    expect(html.body).toMatch(/^<b>Hello<\/b> &lt;script&gt;.*<img src="https:\/\/kairos\.example\/t\/o\//);
  });

  it('lets the template author opt out per value with the raw filter', async () => {
    const out = await renderTemplate('<div>{{ e.properties.note | raw }}</div>', 'email', context);
    expect(out.body).toBe(`<div>${SCRIPT}</div>`);
  });
});
