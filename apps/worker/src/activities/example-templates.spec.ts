import path from 'node:path';
import { loadTriggerDir } from '@kairos/triggers/node';
import { renderTemplate } from '../delivery/template';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', '..', 'libs', 'triggers', 'examples');

// The shipped example templates read free profile fields under `profile.attributes` (docs/api.md §4).
describe('example templates (libs/triggers/examples/templates)', () => {
  const { templates, errors } = loadTriggerDir(EXAMPLES);

  it('load without errors', () => {
    expect(errors).toEqual([]);
    expect(Object.keys(templates).length).toBeGreaterThan(0);
  });

  it.each(Object.keys(templates))(
    '%s greets by profile.attributes.first_name, with a default',
    async (id) => {
      const source = templates[id]!;
      const cart = { id: 'e1', name: 'cart.updated', properties: { cart_id: 'k1' } };
      const named = await renderTemplate(source, 'email', {
        profile: { customerId: 'c1', attributes: { first_name: 'Ada' } },
        cart,
      });
      expect(named.subject).toBeTruthy();
      expect(named.body).toContain('Ada');
      const anonymous = await renderTemplate(source, 'email', { profile: { customerId: 'c1' }, cart });
      expect(anonymous.body).toMatch(/there|friend/);
    },
  );
});
