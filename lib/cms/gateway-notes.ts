// Review notes on a draft: the conversation between an editor and a clinical reviewer, kept as
// empty commits on the draft's branch (the words in the message body), so publishing carries it
// into `main`'s history. Only a note's writer may change or remove its words; anyone who edits
// the practice may mark it resolved.
import { draftBranch, readDraft, type Note } from './drafts.ts';
import { allow, commitAs, object, text, type Ctx } from './gateway-context.ts';
import { badRequest, forbidden, notFound } from './gateway-error.ts';

const maxNoteLength = 5000;
type NoteAction = 'add' | 'update' | 'delete' | 'resolve' | 'reopen';

const shown = (n: Note) => ({ id: n.id, content: n.content, author: n.author, timestamp: n.timestamp, resolved: n.resolved });

function address(ctx: Ctx) {
  const collection = text(ctx.params, 'collection');
  const slug = text(ctx.params, 'slug');
  try {
    return { collection, slug, branch: draftBranch(ctx.practice, collection, slug) };
  } catch (e) {
    throw badRequest((e as Error).message);
  }
}

function words(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw badRequest('A note needs some words');
  if (value.length > maxNoteLength) throw badRequest(`A note can be at most ${maxNoteLength} characters`);
  return value.trim();
}

async function record(ctx: Ctx, action: NoteAction, id: string, content?: string) {
  const { collection, slug, branch } = address(ctx);
  const draft = await readDraft(ctx.store, ctx.main, branch);
  if (!draft) throw notFound('Save the entry as a draft before adding review notes.');
  await commitAs(ctx, {
    branch,
    changes: [],
    allowEmpty: true,
    change: { kind: 'note', entry: `${collection}/${slug}`, title: slug, action },
    ...(content ? { body: content } : {}),
    expectedHead: draft.head,
    extraTrailers: { 'Draft-action': 'note', 'Note-id': id, 'Note-action': action },
  });
  const after = await readDraft(ctx.store, ctx.main, branch);
  return after?.notes.find((n) => n.id === id);
}

async function existingNote(ctx: Ctx): Promise<Note> {
  const { branch } = address(ctx);
  const id = text(ctx.params, 'noteId');
  const note = (await readDraft(ctx.store, ctx.main, branch))?.notes.find((n) => n.id === id);
  if (!note) throw notFound('That note no longer exists; reload the entry.');
  return note;
}

const ownNote = (ctx: Ctx, note: Note) => {
  if (note.authorEmail.toLowerCase() !== ctx.member.email.toLowerCase()) throw forbidden('Only the person who wrote a note can change or remove its words.');
};

export async function getNotes(ctx: Ctx) {
  const draft = await readDraft(ctx.store, ctx.main, address(ctx).branch);
  return { notes: (draft?.notes ?? []).map(shown) };
}

export async function addNote(ctx: Ctx) {
  allow(ctx, 'change-status');
  const note = object(ctx.params, 'note');
  const added = await record(ctx, 'add', crypto.randomUUID(), words(note.content));
  return { note: shown(added!) };
}

export async function updateNote(ctx: Ctx) {
  allow(ctx, 'change-status');
  const note = await existingNote(ctx);
  const updates = object(ctx.params, 'updates');
  let current: Note | undefined = note;
  if (updates.content !== undefined && updates.content !== note.content) {
    ownNote(ctx, note);
    current = await record(ctx, 'update', note.id, words(updates.content));
  }
  if (typeof updates.resolved === 'boolean' && updates.resolved !== current?.resolved)
    current = await record(ctx, updates.resolved ? 'resolve' : 'reopen', note.id);
  return { note: shown(current ?? note) };
}

export async function toggleNoteResolution(ctx: Ctx) {
  allow(ctx, 'change-status');
  const note = await existingNote(ctx);
  const current = await record(ctx, note.resolved ? 'reopen' : 'resolve', note.id);
  return { note: shown(current ?? note) };
}

export async function deleteNote(ctx: Ctx) {
  allow(ctx, 'change-status');
  const note = await existingNote(ctx);
  ownNote(ctx, note);
  await record(ctx, 'delete', note.id);
  return { message: 'The note was removed.' };
}
