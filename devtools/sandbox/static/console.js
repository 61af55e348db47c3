// The Debrief sandbox console: one channel of the emulated Discord and a slash-command bar.
// Everything is built from what the emulator holds (the registered command definitions and
// the message payloads the bot sent), so a new command needs no change here.

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7; // a deferred reply that is still "thinking"
const ADMINISTRATOR = 1n << 3n;
const CHAT_INPUT = 1;
const CALLBACK_MODAL = 9;
const ACK_WAIT_S = 5;
const FEED_WAIT_S = 20;
const RETRY_MS = 1500;

const OPTION = {
  SUB_COMMAND: 1, SUB_COMMAND_GROUP: 2, STRING: 3, INTEGER: 4, BOOLEAN: 5, USER: 6,
  CHANNEL: 7, ROLE: 8, MENTIONABLE: 9, NUMBER: 10, ATTACHMENT: 11,
};
const COMPONENT = {
  ROW: 1, BUTTON: 2, STRING_SELECT: 3, TEXT_INPUT: 4, USER_SELECT: 5, ROLE_SELECT: 6,
  MENTIONABLE_SELECT: 7, CHANNEL_SELECT: 8, SECTION: 9, TEXT_DISPLAY: 10, THUMBNAIL: 11,
  MEDIA_GALLERY: 12, FILE: 13, SEPARATOR: 14, CONTAINER: 17, LABEL: 18,
};
const SELECT_MENUS = new Set([
  COMPONENT.STRING_SELECT, COMPONENT.USER_SELECT, COMPONENT.ROLE_SELECT,
  COMPONENT.MENTIONABLE_SELECT, COMPONENT.CHANNEL_SELECT,
]);
const BUTTON_STYLES = {
  1: 'primary', 2: 'secondary', 3: 'success', 4: 'danger', 5: 'link', 6: 'premium',
};
const LINK_STYLE = 5;

const state = {
  info: null, // GET /console/info
  botName: 'the bot',
  actingId: '',
  commands: [],
  fields: [], // the option fields of the chosen command
  feed: { messages: [], commands_used: {} },
  dismissed: new Set(),
  rendered: new Map(), // message id -> { key, node }
};

const $ = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });
const hasFlag = (flags, bit) => (flags & bit) !== 0;
const hexColour = (value) => `#${value.toString(16).padStart(6, '0')}`;
let lastId = 0;
const uniqueId = (prefix) => `${prefix}-${++lastId}`;

// ---------------------------------------------------------------------------------------
// DOM and HTTP helpers

/** An element; `on…` attributes become listeners, `true` a bare attribute, false/null none. */
function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.flat(Infinity).filter((child) => child != null && child !== false));
  return node;
}

/** A problem the user can act on, shown as it is. */
class ConsoleError extends Error {}

/** A value the user typed that cannot be sent as it is. */
class FieldError extends ConsoleError {}

async function request(url, options = {}) {
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    throw new ConsoleError('The sandbox is not answering. Is `debrief sandbox` still running?');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ConsoleError(body.error ?? `The sandbox answered ${response.status} ${response.statusText}.`);
  }
  return body;
}

const getJSON = (url) => request(url);
const postJSON = (url, body) => request(url, {
  method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
});

function showError(message) {
  $('command-error').textContent = message;
  $('command-error').hidden = false;
}

function clearError() {
  $('command-error').hidden = true;
  $('command-error').textContent = '';
}

// ---------------------------------------------------------------------------------------
// Discord markdown, the common subset, built as nodes (never as HTML strings)

const INLINE = new RegExp([
  /\*\*(.+?)\*\*/, /(?<!\w)__(.+?)__(?!\w)/, /\*([^*\s][^*]*?)\*/, /(?<!\w)_(.+?)_(?!\w)/,
  /~~(.+?)~~/, /`([^`]+)`/, /\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/, /(https?:\/\/[^\s<]+)/,
  /<t:(-?\d+)(?::([tTdDfFR]))?>/, /<@!?(\d+)>/, /<#(\d+)>/, /<@&(\d+)>/,
].map((part) => part.source).join('|'), 'gs');
// Discord's <t:seconds:style> timestamps, shown in the reader's locale.
const TIMESTAMP_STYLES = {
  t: { timeStyle: 'short' },
  T: { timeStyle: 'medium' },
  d: { dateStyle: 'short' },
  D: { dateStyle: 'long' },
  f: { dateStyle: 'long', timeStyle: 'short' },
  F: { dateStyle: 'full', timeStyle: 'short' },
};
const RELATIVE_UNITS = [
  ['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400],
  ['hour', 3600], ['minute', 60], ['second', 1],
];

function markdown(text) {
  const fragment = document.createDocumentFragment();
  // Odd pieces are the insides of ``` code blocks.
  text.split(/```(?:[\w-]*\n)?([\s\S]*?)```/).forEach((piece, index) => {
    fragment.append(index % 2 ? h('pre', {}, h('code', {}, piece)) : inline(piece));
  });
  return fragment;
}

function inline(text) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    fragment.append(text.slice(last, match.index), inlineNode(match));
    last = match.index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

function inlineNode(match) {
  const [, bold, underline, em, em2, strike, code, linkText, linkUrl, bareUrl] = match;
  const [seconds, timeStyle, userId, channelId, roleId] = match.slice(10);
  if (bold) return h('strong', {}, inline(bold));
  if (underline) return h('u', {}, inline(underline));
  if (em || em2) return h('em', {}, inline(em || em2));
  if (strike) return h('s', {}, inline(strike));
  if (code) return h('code', {}, code);
  if (linkText) return externalLink(linkUrl, inline(linkText));
  if (bareUrl) return externalLink(bareUrl, bareUrl);
  if (seconds) return timestamp(new Date(Number(seconds) * 1000), timeStyle ?? 'f');
  if (userId) return h('span', { class: 'mention' }, `@${memberName(userId)}`);
  if (channelId) return h('span', { class: 'mention' }, `#${channelName(channelId)}`);
  return h('span', { class: 'mention' }, `@role ${roleId}`);
}

function timestamp(date, style) {
  const text = style === 'R' ? relativeTime(date) : date.toLocaleString([], TIMESTAMP_STYLES[style]);
  return h('time', { class: 'timestamp', datetime: date.toISOString(), title: date.toLocaleString() }, text);
}

function relativeTime(date) {
  const seconds = (date.getTime() - Date.now()) / 1000;
  const [unit, size] = RELATIVE_UNITS.find(([, length]) => Math.abs(seconds) >= length) ?? ['second', 1];
  return new Intl.RelativeTimeFormat([], { numeric: 'auto' }).format(Math.round(seconds / size), unit);
}

function externalLink(url, ...children) {
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, ...children);
}

// ---------------------------------------------------------------------------------------
// Files: the emulator's CDN is read through the console's own origin

function cdnUrl(url) {
  const origin = state.info.cdn_origin;
  return url?.startsWith(`${origin}/`) ? `/console/cdn${url.slice(origin.length)}` : url;
}

/** An embed or component media URL; `attachment://name` points at the message's own file. */
function mediaUrl(url, message) {
  if (!url?.startsWith('attachment://')) return cdnUrl(url);
  const name = url.slice('attachment://'.length);
  const file = message.attachments.find((attachment) => attachment.filename === name);
  return file ? cdnUrl(file.url) : null;
}

/** Files an embed or component already shows; Discord does not list them again. */
function shownElsewhere(message) {
  const names = new Set();
  JSON.stringify([message.embeds, message.components], (key, value) => {
    if (typeof value === 'string' && value.startsWith('attachment://')) {
      names.add(value.slice('attachment://'.length));
    }
    return value;
  });
  return names;
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function image(url, alt, className) {
  if (!url) return null;
  return h('a', { href: url, target: '_blank', rel: 'noopener', class: `media ${className}` },
    h('img', { src: url, alt: alt || '', loading: 'lazy' }));
}

function fileLink(url, filename, size) {
  return h('a', { class: 'attachment-file', href: url, download: filename },
    h('span', { class: 'file-icon', 'aria-hidden': 'true' }),
    h('span', { class: 'file-name' }, filename),
    size != null && h('span', { class: 'muted small' }, formatSize(size)));
}

function renderAttachment(file) {
  const url = cdnUrl(file.url);
  if (file.content_type?.startsWith('image/')) {
    return image(url, file.description || file.filename, 'attachment-image');
  }
  return fileLink(url, file.filename, file.size);
}

// ---------------------------------------------------------------------------------------
// Messages

function actingMember() {
  return state.info.members.find((member) => member.id === state.actingId);
}

function memberName(userId) {
  return state.info.members.find((member) => member.id === userId)?.username ?? 'unknown-user';
}

function channelName(channelId) {
  return channelId === state.info.channel.id ? state.info.channel.name : 'unknown-channel';
}

/** Ephemeral messages are shown only to the member whose interaction they answer. */
function visibleMessages() {
  return state.feed.messages.filter((message) => !state.dismissed.has(message.id)
    && (!hasFlag(message.flags, EPHEMERAL)
      || message.interaction_metadata?.user?.id === state.actingId));
}

function renderMessage(message) {
  const author = message.author.global_name || message.author.username;
  const ephemeral = hasFlag(message.flags, EPHEMERAL);
  const headingId = uniqueId('message');
  return h('li', { class: ephemeral ? 'message ephemeral' : 'message' },
    h('article', { 'aria-labelledby': headingId },
      renderCommandUse(message),
      h('div', { class: 'avatar', 'aria-hidden': 'true' }, author.slice(0, 1).toUpperCase()),
      h('div', { class: 'message-body' },
        h('h3', { class: 'message-meta', id: headingId },
          h('span', { class: 'author' }, author),
          message.author.bot && h('span', { class: 'badge' }, 'APP'),
          h('time', { datetime: message.timestamp }, formatTime(message.timestamp))),
        renderMessageContent(message, author),
        ephemeral && renderEphemeralNote(message))));
}

function renderMessageContent(message, author) {
  if (hasFlag(message.flags, LOADING)) {
    return h('p', { class: 'thinking' }, `${author} is thinking`,
      h('span', { class: 'dots', 'aria-hidden': 'true' }));
  }
  const shown = shownElsewhere(message);
  const files = message.attachments.filter((file) => !shown.has(file.filename));
  return [
    message.content && h('div', { class: 'content' }, markdown(message.content)),
    message.embeds.map((embed) => renderEmbed(embed, message)),
    files.length > 0 && h('div', { class: 'attachments' }, files.map(renderAttachment)),
    message.components.length > 0 && h('div', { class: 'components' },
      message.components.map((component) => renderComponent(component, message))),
  ];
}

function renderCommandUse(message) {
  const used = state.feed.commands_used[message.interaction_metadata?.id];
  if (!used) return null;
  return h('p', { class: 'command-use' }, h('span', { 'aria-hidden': 'true' }, '↳ '),
    h('strong', {}, memberName(message.interaction_metadata.user.id)), ' used ',
    h('span', { class: 'command-name' }, used));
}

function renderEphemeralNote(message) {
  return h('p', { class: 'ephemeral-note' }, 'Only you can see this · ',
    h('button', { type: 'button', class: 'link-like', onclick: () => dismiss(message.id) },
      'Dismiss message'));
}

function dismiss(messageId) {
  state.dismissed.add(messageId);
  renderFeed();
}

function formatTime(timestamp) {
  return new Date(timestamp).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// ---------------------------------------------------------------------------------------
// Embeds

function renderEmbed(embed, message) {
  const colour = typeof embed.color === 'number' && `--embed-colour: ${hexColour(embed.color)}`;
  const thumbnail = embed.thumbnail?.url
    && image(mediaUrl(embed.thumbnail.url, message), 'Thumbnail', 'embed-thumbnail');
  const picture = embed.image?.url
    && image(mediaUrl(embed.image.url, message), embed.title || 'Embed image', 'embed-image');
  return h('section', { class: 'embed', style: colour, 'aria-label': embed.title || 'Embed' },
    h('div', { class: 'embed-grid' },
      h('div', { class: 'embed-main' },
        embed.author?.name && renderEmbedAuthor(embed.author, message),
        embed.title && renderEmbedTitle(embed),
        embed.description && h('div', { class: 'embed-description' }, markdown(embed.description)),
        embed.fields?.length > 0 && renderFields(embed.fields)),
      thumbnail),
    picture,
    (embed.footer?.text || embed.timestamp) && renderFooter(embed, message));
}

function embedIcon(url, message) {
  return url && h('img', { class: 'embed-icon', src: mediaUrl(url, message), alt: '' });
}

function renderEmbedAuthor(author, message) {
  const name = author.url ? externalLink(author.url, author.name) : author.name;
  return h('p', { class: 'embed-author' }, embedIcon(author.icon_url, message), name);
}

function renderEmbedTitle(embed) {
  const title = inline(embed.title);
  return h('p', { class: 'embed-title' }, embed.url ? externalLink(embed.url, title) : title);
}

function renderFields(fields) {
  return h('dl', { class: 'embed-fields' }, fields.map((field) => h('div',
    { class: field.inline ? 'embed-field inline' : 'embed-field' },
    h('dt', {}, inline(field.name)),
    h('dd', {}, markdown(field.value)))));
}

function renderFooter(embed, message) {
  const when = embed.timestamp && new Date(embed.timestamp).toLocaleString();
  return h('p', { class: 'embed-footer' }, embedIcon(embed.footer?.icon_url, message),
    [embed.footer?.text, when].filter(Boolean).join(' • '));
}

// ---------------------------------------------------------------------------------------
// Components; buttons and select menus act as the chosen member

function renderComponent(component, message) {
  const children = (list) => (list ?? []).map((child) => renderComponent(child, message));
  const media = (item, className) => image(mediaUrl(item?.media?.url, message), item?.description, className);
  switch (component.type) {
    case COMPONENT.ROW:
      return h('div', { class: 'component-row' }, children(component.components));
    case COMPONENT.BUTTON:
      return renderButton(component, message);
    case COMPONENT.TEXT_DISPLAY:
      return h('div', { class: 'text-display' }, markdown(component.content ?? ''));
    case COMPONENT.SECTION:
      return h('div', { class: 'section' }, h('div', {}, children(component.components)),
        component.accessory && renderComponent(component.accessory, message));
    case COMPONENT.THUMBNAIL:
      return media(component, 'thumbnail');
    case COMPONENT.MEDIA_GALLERY:
      return h('div', { class: 'gallery' }, (component.items ?? []).map((item) => media(item, 'gallery-item')));
    case COMPONENT.FILE: {
      const url = component.file?.url ?? '';
      return fileLink(mediaUrl(url, message), url.replace('attachment://', ''), null);
    }
    case COMPONENT.SEPARATOR:
      return h('hr', { class: component.divider === false ? 'spacer' : 'divider' });
    case COMPONENT.CONTAINER: {
      const accent = typeof component.accent_color === 'number'
        && `--embed-colour: ${hexColour(component.accent_color)}`;
      return h('div', { class: 'container', style: accent }, children(component.components));
    }
    default:
      if (SELECT_MENUS.has(component.type)) return renderSelect(component, message);
      return h('p', { class: 'muted small' }, `(component type ${component.type} is not shown here)`);
  }
}

function renderButton(button, message) {
  const label = [button.emoji?.name, button.label].filter(Boolean).join(' ') || '…';
  if (button.style === LINK_STYLE && !button.disabled) {
    return h('a', { class: 'button link', href: button.url, target: '_blank', rel: 'noopener noreferrer' },
      label, h('span', { 'aria-hidden': 'true' }, ' ↗'));
  }
  return h('button', {
    type: 'button',
    class: `button ${BUTTON_STYLES[button.style] ?? 'secondary'}`,
    disabled: Boolean(button.disabled) || !button.custom_id,
    onclick: (event) => useComponent(message, button.custom_id, null, event.currentTarget),
  }, label);
}

function renderSelect(menu, message) {
  const multiple = (menu.max_values ?? 1) > 1;
  const choices = selectChoices(menu);
  const prompt = menu.placeholder || 'Make a selection';
  const select = h('select', { class: 'menu', disabled: Boolean(menu.disabled), multiple, 'aria-label': prompt },
    !multiple && h('option', { value: '', disabled: true, selected: !choices.some((c) => c.selected) }, prompt),
    choices.map((choice) => h('option', { value: choice.value, selected: choice.selected }, choice.label)));
  if (!multiple) {
    select.addEventListener('change', () => useComponent(message, menu.custom_id, [select.value], select));
    return select;
  }
  const chosen = () => [...select.selectedOptions].map((option) => option.value);
  const apply = h('button', {
    type: 'button', class: 'button secondary', disabled: Boolean(menu.disabled),
    onclick: () => useComponent(message, menu.custom_id, chosen(), apply),
  }, 'Choose');
  return h('div', { class: 'menu-multi' }, select, apply);
}

function selectChoices(menu) {
  switch (menu.type) {
    case COMPONENT.STRING_SELECT:
      return (menu.options ?? []).map((option) => ({
        value: option.value,
        label: [option.emoji?.name, option.label].filter(Boolean).join(' ')
          + (option.description ? ` — ${option.description}` : ''),
        selected: Boolean(option.default),
      }));
    case COMPONENT.USER_SELECT:
    case COMPONENT.MENTIONABLE_SELECT:
      return state.info.members.map((member) => ({ value: member.id, label: member.username }));
    case COMPONENT.CHANNEL_SELECT:
      return [{ value: state.info.channel.id, label: `#${state.info.channel.name}` }];
    default:
      return [];
  }
}

async function useComponent(message, customId, values, control) {
  clearError();
  control.disabled = true;
  control.classList.add('busy');
  try {
    const view = await postJSON('/console/api/interactions/component', {
      message_id: message.id, custom_id: customId, member_id: state.actingId,
      ...(values ? { values } : {}),
    });
    await followInteraction(view, null);
  } catch (error) {
    showError(error.message);
  } finally {
    control.disabled = false;
    control.classList.remove('busy');
  }
}

// ---------------------------------------------------------------------------------------
// An interaction in flight: pending until the bot acknowledges it, then a modal if it asks

function addPending(text) {
  const item = h('li', { class: 'pending' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
  $('pending-list').append(item);
  renderEmptyState();
  scrollToBottom();
  return item;
}

async function followInteraction(view, label) {
  const pending = label
    && addPending(`${actingMember().username} used ${label} — sending it to ${state.botName}…`);
  try {
    const acked = await getJSON(`/console/api/interactions/${view.id}?wait=ack&timeout=${ACK_WAIT_S}`);
    if (acked.timed_out) {
      throw new ConsoleError(`${state.botName} did not respond: Discord gives a bot 3 seconds `
        + 'to acknowledge an interaction. Check the bot\'s log.');
    }
    if (acked.callback_type === CALLBACK_MODAL) openModal(acked);
  } catch (error) {
    showError(error.message);
  } finally {
    pending?.remove();
    renderEmptyState();
  }
}

// ---------------------------------------------------------------------------------------
// Modals

/** Every input of a modal, whether laid out in action rows or in labels. */
function modalFields(components) {
  return components.flatMap((component) => {
    switch (component.type) {
      case COMPONENT.ROW: return modalFields(component.components ?? []);
      case COMPONENT.LABEL: return [modalField(component.component, component.label, component.description)];
      case COMPONENT.TEXT_INPUT: return [modalField(component, component.label, null)];
      case COMPONENT.TEXT_DISPLAY:
        return [{ node: h('div', { class: 'text-display' }, markdown(component.content ?? '')) }];
      default: return [];
    }
  });
}

function modalField(input, label, description) {
  const id = uniqueId('modal-input');
  const name = label ?? input.custom_id;
  const required = input.required ?? true; // Discord's default, for text inputs and selects
  const control = input.type === COMPONENT.STRING_SELECT
    ? modalSelect(input, id)
    : modalTextInput(input, id, required);
  const node = h('div', { class: 'field' },
    h('label', { for: id }, name, required && h('span', { class: 'required', 'aria-hidden': 'true' }, ' *')),
    description && h('small', { class: 'muted' }, description),
    control);
  return { node, control, customId: input.custom_id, read: () => readModalInput(input, control, name, required) };
}

function modalTextInput(input, id, required) {
  const attributes = {
    id, name: input.custom_id, placeholder: input.placeholder, minlength: input.min_length,
    maxlength: input.max_length, 'aria-required': String(required),
  };
  const paragraph = input.style === 2;
  const control = paragraph ? h('textarea', { ...attributes, rows: 4 }) : h('input', { ...attributes, type: 'text' });
  control.value = input.value ?? '';
  return control;
}

function modalSelect(input, id) {
  const multiple = (input.max_values ?? 1) > 1;
  return h('select', { id, name: input.custom_id, multiple },
    !multiple && h('option', { value: '' }, input.placeholder || 'Make a selection'),
    (input.options ?? []).map((option) => h('option',
      { value: option.value, selected: Boolean(option.default) }, option.label)));
}

function readModalInput(input, control, name, required) {
  if (control.tagName === 'SELECT') {
    const values = [...control.selectedOptions].map((option) => option.value).filter(Boolean);
    if (required && values.length < Math.max(1, input.min_values ?? 1)) {
      throw new FieldError(`Choose “${name}”.`);
    }
    return values;
  }
  const text = control.value;
  if (required && !text) throw new FieldError(`“${name}” is required.`);
  if (text && input.min_length && text.length < input.min_length) {
    throw new FieldError(`“${name}” needs at least ${input.min_length} characters.`);
  }
  if (input.max_length && text.length > input.max_length) {
    throw new FieldError(`“${name}” takes at most ${input.max_length} characters.`);
  }
  return text;
}

function openModal(answered) {
  const fields = modalFields(answered.modal.components ?? []);
  $('modal-title').textContent = answered.modal.title ?? '';
  $('modal-fields').replaceChildren(...fields.map((field) => field.node));
  $('modal-error').hidden = true;
  $('modal-form').onsubmit = (event) => {
    event.preventDefault();
    submitModal(answered, fields.filter((field) => field.read));
  };
  $('modal').showModal();
}

/** Reads every field; the problems are marked on their controls and returned as text. */
function readFields(fields, read, control) {
  const problems = [];
  for (const field of fields) {
    control(field).removeAttribute('aria-invalid');
    try {
      read(field);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      problems.push(error.message);
      control(field).setAttribute('aria-invalid', 'true');
    }
  }
  return problems;
}

async function submitModal(answered, fields) {
  const values = {};
  const problems = readFields(fields, (field) => { values[field.customId] = field.read(); },
    (field) => field.control);
  const errorBox = $('modal-error');
  errorBox.textContent = problems.join(' ');
  errorBox.hidden = problems.length === 0;
  if (problems.length) return;
  try {
    const view = await postJSON(`/console/api/interactions/${answered.id}/modal`,
      { values, member_id: state.actingId });
    $('modal').close();
    await followInteraction(view, null);
  } catch (error) {
    errorBox.textContent = error.message;
    errorBox.hidden = false;
  }
}

// ---------------------------------------------------------------------------------------
// The command picker

function canUse(command) {
  const required = command.default_member_permissions;
  if (required == null) return true;
  const have = BigInt(actingMember().permissions);
  const need = BigInt(required);
  // "0" means administrators only.
  return need === 0n ? (have & ADMINISTRATOR) !== 0n : (have & need) === need;
}

async function loadCommands() {
  const emulator = await getJSON('/console/api/state');
  const guild = emulator.guilds.find((candidate) => candidate.id === state.info.guild.id);
  state.botName = emulator.bot_user.global_name || emulator.bot_user.username;
  const byName = new Map();
  // Guild commands shadow global ones of the same name, as in Discord's picker.
  for (const command of [...emulator.global_commands, ...(guild?.commands ?? [])]) {
    if (command.type === CHAT_INPUT) byName.set(command.name, command);
  }
  const commands = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  // Re-rendering an open picker would close it: only when the bot re-synced something.
  if (JSON.stringify(commands) === JSON.stringify(state.commands)) return;
  state.commands = commands;
  renderCommandPicker();
}

async function waitForCommands() {
  for (;;) {
    try {
      await loadCommands();
      if (state.commands.length) return;
    } catch (error) {
      showError(error.message);
    }
    await sleep(RETRY_MS);
  }
}

function renderCommandPicker() {
  const picker = $('command');
  const previous = picker.value;
  const prompt = state.commands.length ? 'Choose a command' : 'Waiting for the bot to register its commands…';
  picker.replaceChildren(h('option', { value: '', disabled: true }, prompt),
    ...state.commands.map((command) => h('option', { value: command.name, disabled: !canUse(command) },
      canUse(command) ? command.name : `${command.name} (needs permissions you don't have)`)));
  const kept = state.commands.some((command) => command.name === previous && canUse(command));
  picker.value = kept ? previous : '';
  if (!kept) renderCommand();
}

function selectedCommand() {
  return state.commands.find((command) => command.name === $('command').value);
}

function subcommandPaths(command) {
  return (command.options ?? []).flatMap((option) => {
    if (option.type === OPTION.SUB_COMMAND) return [{ path: option.name, definition: option }];
    if (option.type !== OPTION.SUB_COMMAND_GROUP) return [];
    return (option.options ?? []).map((sub) => ({ path: `${option.name} ${sub.name}`, definition: sub }));
  });
}

function renderCommand() {
  clearError();
  const command = selectedCommand();
  const paths = command ? subcommandPaths(command) : [];
  $('command-help').textContent = command?.description ?? '';
  $('subcommand-field').hidden = paths.length === 0;
  $('subcommand').replaceChildren(...paths.map((entry) => h('option', { value: entry.path }, entry.path)));
  renderOptions();
}

/** The command itself, or its chosen subcommand: whichever holds the options. */
function chosenDefinition() {
  const command = selectedCommand();
  if (!command) return null;
  const paths = subcommandPaths(command);
  if (!paths.length) return command;
  return paths.find((entry) => entry.path === $('subcommand').value)?.definition ?? null;
}

function renderOptions() {
  const definition = chosenDefinition();
  if (definition && definition !== selectedCommand()) {
    $('command-help').textContent = definition.description ?? '';
  }
  state.fields = (definition?.options ?? []).map(optionField);
  $('options').replaceChildren(...state.fields.map((field) => field.node));
}

// ---------------------------------------------------------------------------------------
// One input per option of the registered definition

function optionField(option) {
  const id = uniqueId(`option-${option.name}`);
  const helpId = `${id}-help`;
  const control = optionControl(option, {
    id, 'aria-describedby': option.description ? helpId : null, 'aria-required': option.required ? 'true' : null,
  });
  const marker = option.required
    ? h('span', { class: 'required' }, ' *', h('span', { class: 'visually-hidden' }, '(required)'))
    : h('span', { class: 'optional' }, ' optional');
  const node = h('div', { class: option.type === OPTION.ATTACHMENT ? 'field wide' : 'field' },
    h('label', { for: id }, option.name, marker),
    control.node,
    option.description && h('small', { id: helpId, class: 'muted' }, option.description));
  return { ...control, option, node };
}

/** `{node, element, read}`: `read()` gives the value to send, undefined when left empty. */
function optionControl(option, attributes) {
  if (option.choices?.length) return choiceControl(option, attributes);
  switch (option.type) {
    case OPTION.STRING: return textControl(option, attributes);
    case OPTION.INTEGER:
    case OPTION.NUMBER: return numberControl(option, attributes);
    case OPTION.BOOLEAN:
      return listControl(attributes, [{ value: 'true', label: 'True' }, { value: 'false', label: 'False' }],
        (value) => value === 'true');
    case OPTION.USER:
    case OPTION.MENTIONABLE:
      return listControl(attributes, state.info.members.map((m) => ({ value: m.id, label: m.username })));
    case OPTION.CHANNEL:
      return listControl(attributes, [{ value: state.info.channel.id, label: `#${state.info.channel.name}` }]);
    case OPTION.ATTACHMENT: return attachmentControl(option, attributes);
    default: return textControl(option, { ...attributes, placeholder: 'id' });
  }
}

function listControl(attributes, entries, convert = (value) => value) {
  const element = h('select', attributes, h('option', { value: '' }, '—'),
    entries.map((entry) => h('option', { value: entry.value }, entry.label)));
  return { node: element, element, read: () => (element.value === '' ? undefined : convert(element.value)) };
}

function choiceControl(option, attributes) {
  const entries = option.choices.map((choice) => ({ value: String(choice.value), label: choice.name }));
  const typed = (value) => option.choices.find((choice) => String(choice.value) === value).value;
  return listControl(attributes, entries, typed);
}

function textControl(option, attributes) {
  const element = h('input', { ...attributes, type: 'text', maxlength: option.max_length, autocomplete: 'off' });
  const read = () => {
    const text = element.value;
    if (text === '') return undefined;
    if (option.min_length && text.length < option.min_length) {
      throw new FieldError(`“${option.name}” needs at least ${option.min_length} characters.`);
    }
    return text;
  };
  return { node: element, element, read };
}

function numberControl(option, attributes) {
  const integer = option.type === OPTION.INTEGER;
  const element = h('input', {
    ...attributes, type: 'number', inputmode: integer ? 'numeric' : 'decimal',
    step: integer ? 1 : 'any', min: option.min_value, max: option.max_value,
  });
  const read = () => {
    if (element.validity.badInput) throw new FieldError(`“${option.name}” must be a number.`);
    if (element.value === '') return undefined;
    const value = Number(element.value);
    if (integer && !Number.isInteger(value)) {
      throw new FieldError(`“${option.name}” must be a whole number.`);
    }
    if (option.min_value != null && value < option.min_value) {
      throw new FieldError(`“${option.name}” must be at least ${option.min_value}.`);
    }
    if (option.max_value != null && value > option.max_value) {
      throw new FieldError(`“${option.name}” must be at most ${option.max_value}.`);
    }
    return value;
  };
  return { node: element, element, read };
}

/** A file from disk, or one of the sample screenshots; read() gives an upload to run. */
function attachmentControl(option, attributes) {
  const file = h('input', { ...attributes, type: 'file' });
  const sample = h('select', { 'aria-label': `${option.name}: or a sample screenshot` },
    h('option', { value: '' }, 'or a sample…'),
    state.info.samples.map((entry) => h('option', { value: entry.file }, entry.label)));
  file.addEventListener('change', () => { if (file.files.length) sample.value = ''; });
  sample.addEventListener('change', () => { if (sample.value) file.value = ''; });
  const read = () => {
    if (file.files.length) return { upload: () => fileUpload(file.files[0]) };
    if (sample.value) return { upload: () => sampleUpload(sample.value) };
    return undefined;
  };
  const useSample = (name) => {
    sample.value = name;
    file.value = '';
  };
  return {
    node: h('div', { class: 'attachment-input' }, file, sample),
    element: file, read, useSample, isEmpty: () => read() === undefined,
  };
}

async function fileUpload(file) {
  return { blob: file, filename: file.name, contentType: file.type || 'application/octet-stream' };
}

async function sampleUpload(name) {
  const sample = state.info.samples.find((entry) => entry.file === name);
  const response = await fetch(sample.url);
  if (!response.ok) throw new ConsoleError(`The sample ${name} could not be loaded.`);
  const blob = await response.blob();
  return { blob, filename: name, contentType: blob.type || 'image/png' };
}

function base64Of(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1] ?? '');
    reader.onerror = () => reject(new ConsoleError('The file could not be read.'));
    reader.readAsDataURL(blob);
  });
}

/** Attachments are registered with Discord first; the command then names them by id. */
async function registerAttachments(values) {
  const options = {};
  for (const [name, value] of Object.entries(values)) {
    if (!value?.upload) {
      options[name] = value;
      continue;
    }
    const file = await value.upload();
    const registered = await postJSON('/console/api/attachments', {
      filename: file.filename, content_type: file.contentType, data_base64: await base64Of(file.blob),
    });
    options[name] = registered.id;
  }
  return options;
}

function readOptions() {
  const values = {};
  const problems = readFields(state.fields, (field) => {
    const value = field.read();
    if (value === undefined && field.option.required) {
      throw new FieldError(`“${field.option.name}” is required.`);
    }
    if (value !== undefined) values[field.option.name] = value;
  }, (field) => field.element);
  return { values, problems };
}

async function runCommand(event) {
  event.preventDefault();
  clearError();
  const command = selectedCommand();
  if (!command) {
    showError('Choose a command first.');
    return;
  }
  const { values, problems } = readOptions();
  if (problems.length) {
    showError(`/${command.name} can't run yet: ${problems.join(' ')}`);
    return;
  }
  const subcommand = chosenDefinition() === command ? null : $('subcommand').value;
  const run = $('run');
  run.disabled = true;
  try {
    const options = await registerAttachments(values);
    const view = await postJSON('/console/api/interactions/command', {
      name: command.name, subcommand, options, member_id: state.actingId, channel_id: state.info.channel.id,
    });
    followInteraction(view, `/${[command.name, subcommand].filter(Boolean).join(' ')}`);
  } catch (error) {
    showError(error.message);
  } finally {
    run.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------
// The samples panel

function renderSamples() {
  $('samples').replaceChildren(...state.info.samples.map((sample) => h('li', { class: 'sample' },
    h('img', {
      src: sample.url, alt: sample.label, loading: 'lazy',
      width: 96, height: Math.round((96 * sample.height) / sample.width),
    }),
    h('div', { class: 'sample-text' },
      h('p', {}, sample.label),
      h('div', { class: 'sample-actions' },
        h('button', {
          type: 'button', class: 'button secondary small', 'aria-label': `Attach ${sample.label}`,
          onclick: () => attachSample(sample),
        }, 'Attach'),
        h('a', {
          class: 'button ghost small', href: sample.url, download: sample.file,
          'aria-label': `Download ${sample.label}`,
        }, 'Download'))))));
}

function attachSample(sample) {
  clearError();
  const slots = state.fields.filter((field) => field.useSample);
  if (!slots.length) {
    showError('The chosen command takes no file. Pick one with a screenshot option first.');
    return;
  }
  const slot = slots.find((field) => field.isEmpty()) ?? slots[0];
  slot.useSample(sample.file);
  slot.element.focus();
}

// ---------------------------------------------------------------------------------------
// The channel, long-polled

function nearBottom() {
  const box = $('messages');
  return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
}

function scrollToBottom() {
  $('messages').scrollTop = $('messages').scrollHeight;
}

function renderEmptyState() {
  const anything = $('message-list').children.length + $('pending-list').children.length;
  $('empty-channel').hidden = anything > 0;
}

/** Re-render only the messages that changed, so focus and scroll stay where they are. */
function renderFeed() {
  const stick = nearBottom();
  const next = new Map();
  const nodes = visibleMessages().map((message) => {
    const key = JSON.stringify([message, state.feed.commands_used[message.interaction_metadata?.id]]);
    const cached = state.rendered.get(message.id);
    const node = cached?.key === key ? cached.node : renderMessage(message);
    next.set(message.id, { key, node });
    return node;
  });
  state.rendered = next;
  const list = $('message-list');
  nodes.forEach((node, index) => {
    if (list.children[index] !== node) list.insertBefore(node, list.children[index] ?? null);
  });
  while (list.children.length > nodes.length) list.lastElementChild.remove();
  renderEmptyState();
  if (stick) scrollToBottom();
}

function setConnected(connected) {
  const badge = $('connection');
  badge.textContent = connected ? 'Live' : 'Reconnecting…';
  badge.classList.toggle('offline', !connected);
}

async function followFeed() {
  let version = '';
  for (;;) {
    try {
      const feed = await getJSON(`/console/feed?since=${encodeURIComponent(version)}&wait=${FEED_WAIT_S}`);
      setConnected(true);
      if (feed.version !== version) {
        version = feed.version;
        state.feed = feed;
        renderFeed();
      }
    } catch {
      setConnected(false);
      await sleep(RETRY_MS);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Start

function renderHeader() {
  const { info } = state;
  $('api-docs').href = info.api_docs_url;
  $('dashboard').href = info.dashboard_url;
  $('channel-name').textContent = info.channel.name;
  $('guild-name').textContent = info.guild.name;
  $('ai-label').textContent = info.ai_label;
  $('acting-member').replaceChildren(...info.members.map((member) => h('option', { value: member.id },
    member.admin ? `${member.username} (Manage Server)` : member.username)));
  state.actingId = info.members[0]?.id ?? '';
}

function wireControls() {
  $('acting-member').addEventListener('change', (event) => {
    state.actingId = event.target.value;
    renderCommandPicker();
    renderFeed();
  });
  $('command').addEventListener('change', renderCommand);
  // The bot may re-sync its commands at any time; look again whenever the picker is used.
  $('command').addEventListener('focus', () => loadCommands().catch((error) => showError(error.message)));
  $('subcommand').addEventListener('change', renderOptions);
  $('command-bar').addEventListener('submit', runCommand);
  $('modal-cancel').addEventListener('click', () => $('modal').close());
}

async function main() {
  try {
    state.info = await getJSON('/console/info');
  } catch (error) {
    showError(error.message);
    return;
  }
  renderHeader();
  renderSamples();
  wireControls();
  renderCommandPicker();
  followFeed();
  await waitForCommands();
  document.body.dataset.ready = 'true';
}

main();
