/**
 * Every field an editor sees has a Danish and an English label (src/features/editorial/admin/labels.ts) and a
 * place in its edit view (src/features/editorial/admin/views.ts): a field added to a schema without them fails here.
 */
import { readFileSync, readdirSync } from 'fs';
import path from 'path';
import { COMPONENT_LABELS, CONTENT_TYPE_LABELS, adminTranslations } from '../../src/features/editorial/admin/labels';
import { COMPONENT_VIEWS, CONTENT_TYPE_VIEWS } from '../../src/features/editorial/admin/views';
import { APP_DIR } from '../helpers/paths';

interface Schema {
  info: { displayName: string };
  attributes: Record<string, unknown>;
}
const read = (file: string): Schema => JSON.parse(readFileSync(file, 'utf8'));
const contentTypeSchema = (uid: string) => {
  const name = uid.split('.')[1]!;
  return read(path.join(APP_DIR, 'src/api', name, 'content-types', name, 'schema.json'));
};
const componentSchema = (uid: string) => {
  const [category, name] = uid.split('.');
  return read(path.join(APP_DIR, 'src/components', category!, `${name}.json`));
};

const models = [
  ...Object.keys(CONTENT_TYPE_VIEWS).map((uid) => ({ uid, schema: contentTypeSchema(uid), labels: CONTENT_TYPE_LABELS[uid], view: CONTENT_TYPE_VIEWS[uid] })),
  ...Object.keys(COMPONENT_VIEWS).map((uid) => ({ uid, schema: componentSchema(uid), labels: COMPONENT_LABELS[uid], view: COMPONENT_VIEWS[uid] })),
];

it('covers every component in the repo', () => {
  const components = readdirSync(path.join(APP_DIR, 'src/components')).flatMap((category) =>
    readdirSync(path.join(APP_DIR, 'src/components', category)).map((file) => `${category}.${file.replace(/\.json$/, '')}`)
  );
  expect(Object.keys(COMPONENT_VIEWS).sort()).toEqual(components.sort());
});

describe.each(models)('$uid', ({ schema, labels, view }) => {
  const fields = Object.keys(schema.attributes);

  it('labels exactly the schema fields, in both languages', () => {
    expect(labels!.displayName).toBe(schema.info.displayName);
    expect(Object.keys(labels!.fields).sort()).toEqual([...fields].sort());
    for (const text of Object.values(labels!.fields)) {
      expect(text.label.da.trim()).not.toBe('');
      expect(text.label.en.trim()).not.toBe('');
    }
  });

  it('places every field once in the edit view, or hides it', () => {
    const placed = [...view!.edit.flat(), ...(view!.hidden ?? [])];
    expect([...placed].sort()).toEqual([...fields].sort());
  });
});

it('gives the English admin English labels under the keys the content manager looks up', () => {
  const en = adminTranslations('en');
  const da = adminTranslations('da');
  expect(en['content-manager.content-types.api::article.article.title']).toBe('Title');
  expect(da['content-manager.content-types.api::article.article.title']).toBe('Titel');
  expect(en['content-manager.components.people.affiliation.organisation']).toBe('Organisation');
  expect(da['content-manager.content-types.api::event.event.updatedAt']).toBe('Opdateret');
  // Type names: the menu translates the display name, the dynamic zone the component uid.
  expect(da.Event).toBe('Arrangement');
  expect(da.Quote).toBe('Citat');
  expect(da['blocks.fact-box']).toBe('Faktaboks');
});
