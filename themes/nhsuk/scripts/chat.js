// The chat widget (docs/chatbot.md, "The widget"). Progressive enhancement: the page works without
// it, and it stays hidden until this script runs. Nothing of the conversation is kept: no cookies,
// no storage, so a reload clears it. Replies are written as text nodes, never as HTML.
(() => {
  'use strict';
  const root = document.getElementById('pd-chat');
  const form = document.getElementById('pd-chat-form');
  const input = document.getElementById('pd-chat-message');
  const log = document.getElementById('pd-chat-log');
  const error = document.getElementById('pd-chat-error');
  if (!root || !form || !input || !log || !error || !window.fetch) return;
  root.hidden = false;

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  // Only the site's own pages, https and phone numbers become links.
  const safeHref = (href) => {
    if (typeof href !== 'string') return undefined;
    if (/^\/(?!\/)/.test(href) || /^tel:[0-9+ ]+$/.test(href)) return href;
    try {
      return new URL(href).protocol === 'https:' ? href : undefined;
    } catch {
      return undefined;
    }
  };
  const linkList = (heading, items) => {
    const good = items.map((i) => ({ text: i.text, href: safeHref(i.href) })).filter((i) => i.href && i.text);
    if (!good.length) return undefined;
    const wrap = el('div', 'pd-chat__links');
    wrap.append(el('p', 'pd-chat__links-heading', heading));
    const list = el('ul', 'nhsuk-list');
    for (const i of good) {
      const a = el('a', '', i.text);
      a.href = i.href;
      const li = el('li');
      li.append(a);
      list.append(li);
    }
    wrap.append(list);
    return wrap;
  };

  const showError = (text) => {
    error.textContent = text;
    error.hidden = !text;
  };

  const addExchange = (question, reply) => {
    const item = el('div', `pd-chat__exchange pd-chat__exchange--${reply.kind === 'red-flag' ? 'urgent' : 'reply'}`);
    item.append(el('p', 'pd-chat__question', `You asked: ${question}`));
    const answer = el('div', 'pd-chat__answer');
    for (const para of String(reply.text).split(/\n+/).filter(Boolean)) answer.append(el('p', '', para));
    item.append(answer);
    const links = linkList('Useful links:', (reply.links || []).map((l) => ({ text: l.label, href: l.href })));
    if (links) item.append(links);
    const cites = linkList('From these pages:', (reply.citations || []).map((c) => ({ text: c.title, href: c.url })));
    if (cites) item.append(cites);
    log.append(item);
  };

  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    const question = input.value.trim();
    if (!question) return showError('Type a question first.');
    if ([...question].length > 1000) return showError('Questions can be up to 1,000 characters.');
    showError('');
    busy = true;
    log.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch('/api/chat', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: question }),
        credentials: 'omit',
        cache: 'no-store',
      });
      const body = await res.json().catch(() => undefined);
      if (!res.ok || !body || typeof body.text !== 'string')
        showError((body && typeof body.message === 'string' && body.message) || 'Sorry, that did not work. Please try again, or contact the practice.');
      else {
        addExchange(question, body);
        input.value = '';
      }
    } catch {
      showError('Sorry, the question could not be sent. Check your connection and try again.');
    } finally {
      busy = false;
      log.removeAttribute('aria-busy');
    }
  });
})();
