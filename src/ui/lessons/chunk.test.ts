/** The lessons chunk over the real engine: a built-in lesson by id, and a lesson link that carries the step and the cluster. */
import { beforeAll, describe, expect, it } from 'vitest';
import { lessonsFor } from './chunk';
import { parseLessonHash } from './lessonLink';
import { makeStoreNode } from './testStore';

// Node has the compression streams share links use (jsdom's Blob has no stream()); the page's address is all of `window` the chunk reads here.
beforeAll(() => {
  (globalThis as { window?: unknown }).window ??= { location: new URL('https://example.org/podpath/') };
});

describe('lessons chunk', () => {
  it('a link to a step opens, in another page, the same step on the same cluster', async () => {
    const app = makeStoreNode();
    const lessons = lessonsFor(app);
    expect(await lessons.openRef('04-cross-node-vxlan')).toBe(true);
    expect(app.getState().cluster?.config.name).toBe('lesson-04');
    // The instructor moves on to step 3 and changes the cluster (a fourth pod).
    lessons.store.getState().next();
    lessons.store.getState().next();
    expect(lessons.store.getState().progress?.step).toBe(2);
    const text = `${app.getState().appliedText.trimEnd()}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: extra}\nspec:\n  nodeName: worker-2\n  containers: [{name: c, image: nginx:1.27}]\n`;
    app.getState().setScenarioText(text);
    expect(app.getState().applyScenario()).toBe(true);
    const url = await lessons.link();
    expect(url).toMatch(/^https:\/\/example\.org\/podpath\/#lesson=04-cross-node-vxlan&step=3&share=1\./);

    const room = makeStoreNode();
    const link = parseLessonHash(new URL(url!).hash)!;
    expect(await lessonsFor(room).openLink(link)).toBe(true);
    expect(lessonsFor(room).store.getState().progress?.step).toBe(2);
    expect(room.getState().cluster?.pods.has('default/extra')).toBe(true);
    const podsAt = (c: typeof app) => [...c.getState().cluster!.pods.values()].map((p) => `${p.meta.namespace}/${p.meta.name}@${p.nodeName}`).sort();
    expect(podsAt(room)).toEqual(podsAt(app));
  });

  it('an unknown lesson id is said, and the work is unchanged', async () => {
    const app = makeStoreNode();
    const before = app.getState().cluster;
    expect(await lessonsFor(app).openRef('99-nope')).toBe(false);
    expect(app.getState().notice?.text).toContain('There is no built-in lesson "99-nope"');
    expect(app.getState().cluster).toBe(before);
  });

  it('a lesson file with an error names the file and line; the work is unchanged', async () => {
    const app = makeStoreNode();
    const before = app.getState().cluster;
    expect(await lessonsFor(app).openText('apiVersion: podpath.dev/v1alpha1\nkind: Lesson\nmetadata: {id: x}\n', { kind: 'file', name: 'mine.yaml', text: '' })).toBe(false);
    expect(app.getState().notice?.text).toMatch(/mine\.yaml/);
    expect(app.getState().cluster).toBe(before);
  });
});
