// Telegram message text with its entities, as DOM nodes (never as HTML strings).
// Entity offsets count UTF-16 code units, which is how JavaScript strings count too.
"use strict";

const ENTITY_TAGS = {
  bold: "strong",
  italic: "em",
  underline: "u",
  strikethrough: "s",
  code: "code",
  pre: "code",
  spoiler: "span",
  blockquote: "span",
  expandable_blockquote: "span",
  text_link: "a",
  url: "a",
  email: "span",
  phone_number: "span",
  bot_command: "span",
  mention: "span",
  hashtag: "span",
};

function safeLink(href) {
  try {
    const url = new URL(href, window.location.href);
    return ["http:", "https:"].includes(url.protocol) ? url.href : null;
  } catch (error) {
    return null;
  }
}

function wrap(node, entity, text) {
  const tag = ENTITY_TAGS[entity.type] || "span";
  const element = document.createElement(tag);
  element.className = `entity-${entity.type}`;
  if (tag === "a") {
    const href = entity.type === "text_link" ? entity.url : text.substr(entity.offset, entity.length);
    const safe = safeLink(href);
    if (safe) {
      element.href = safe;
      element.target = "_blank";
      element.rel = "noopener noreferrer";
    }
  }
  element.appendChild(node);
  return element;
}

// A fragment for ``text`` with ``entities`` applied; overlapping entities nest per segment.
function formatText(text, entities) {
  const fragment = document.createDocumentFragment();
  if (!text) return fragment;
  const list = (entities || []).slice().sort((a, b) => a.offset - b.offset || b.length - a.length);
  const cuts = new Set([0, text.length]);
  for (const entity of list) {
    cuts.add(entity.offset);
    cuts.add(Math.min(text.length, entity.offset + entity.length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i];
    const end = points[i + 1];
    if (start >= end) continue;
    let node = document.createTextNode(text.slice(start, end));
    const covering = list.filter((e) => e.offset <= start && e.offset + e.length >= end);
    for (const entity of covering.reverse()) node = wrap(node, entity, text);
    fragment.appendChild(node);
  }
  return fragment;
}

// "{name}" placeholders filled from ``values``.
function fill(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
}

window.VardagFormat = { formatText, fill, safeLink };
