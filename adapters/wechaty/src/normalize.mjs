// Wechaty's objects → ledgerbot's generic events (docs/generic-adapter.md). Names come from the
// event payloads, not from the room's cache, which may already hold a later state.

export function isoTime(date) {
  return (date instanceof Date ? date : new Date(date ?? Date.now())).toISOString();
}

export async function person(contact, room) {
  const out = { id: contact.id, name: contact.name() || contact.id };
  if (room) {
    const alias = await room.alias(contact).catch(() => undefined);
    if (alias) out.nickname = alias;
  }
  return out;
}

/// The logged-in account's id, or undefined before login.
function selfId(room) {
  try {
    return room.wechaty?.currentUser?.id;
  } catch {
    return undefined;
  }
}

/// The bot account is not a participant of the project: it is left out of member lists, so it
/// is never taken for a member from outside the centre, nor asked for a role in its nickname.
function notSelf(room) {
  const me = selfId(room);
  return (contact) => contact.id !== me;
}

/// Whether the logged-in account owns or administers the room: only then can it remove
/// members (ledgerbot's /移出), and only then does WeChat report those removals.
export function botCanRemove(room) {
  const me = selfId(room);
  if (!me) return undefined;  // not logged in: say nothing rather than something wrong
  return room.owner()?.id === me || (room.payload?.adminIdList ?? []).includes(me);
}

async function chatOf(room, topic) {
  const chat = { id: room.id, name: topic ?? (await room.topic()), type: 'group' };
  const owner = room.owner();
  if (owner) chat.owner = owner.id;
  const canRemove = botCanRemove(room);
  if (canRemove !== undefined) chat.bot_can_remove = canRemove;
  return chat;
}

/// A text or image message; null for what ledgerbot does not read (the bot's own sends,
/// voice, links…). An image comes back with its bytes: { event, image: { base64, name } }.
export async function messageEvent(message, types) {
  if (message.self()) return null;
  const type = message.type();
  if (type !== types.Text && type !== types.Image) return null;
  const room = message.room();
  const talker = message.talker();
  const event = {
    id: `wx-msg-${message.id}`,
    type: 'message',
    time: isoTime(message.date()),
    chat: room ? await chatOf(room) : { id: `dm-${talker.id}`, type: 'direct' },
    sender: await person(talker, room),
  };
  if (type === types.Text) {
    event.text = message.text();
    return { event };
  }
  const file = await message.toFileBox();
  return { event, image: { base64: await file.toBase64(), name: file.name } };
}

export async function joinEvent(room, everyone, inviter, date) {
  const invitees = everyone.filter(notSelf(room));
  if (invitees.length === 0) return null;  // the bot itself joined: the snapshot that follows says it all
  const ids = invitees.map((c) => c.id).sort().join(',');
  const time = isoTime(date);
  return {
    event: {
      id: `wx-join-${room.id}-${ids}-${Date.parse(time)}`,
      type: 'member_joined',
      time,
      chat: await chatOf(room),
      members: await Promise.all(invitees.map((c) => person(c, room))),
      ...(inviter ? { by: await person(inviter, room) } : {}),
    },
  };
}

/// How a member left, as honestly as WeChat tells it. WeChat reports no self-leave at all, and a
/// removal only to the remover; when Wechaty names the leaver as their own remover (puppets do
/// that when they cannot tell), it is unknown, not self. Only a removal by the bot, or by
/// someone else named, is `removed`.
export function leaveKind(leaver, remover, botId) {
  if (!remover) return 'unknown';
  if (remover.id === botId) return 'removed';
  return remover.id !== leaver.id ? 'removed' : 'unknown';
}

export async function leaveEvents(room, everyone, remover, date, botId) {
  const time = isoTime(date);
  const leavers = everyone.filter((c) => c.id !== botId);
  return Promise.all(leavers.map(async (leaver) => {
    const kind = leaveKind(leaver, remover, botId);
    return {
      event: {
        id: `wx-leave-${room.id}-${leaver.id}-${Date.parse(time)}`,
        type: 'member_left',
        time,
        chat: await chatOf(room),
        member: { id: leaver.id, name: leaver.name() || leaver.id },
        // `by_self` stays false: without the owner's confirmation no self-leave is recorded.
        by_self: false,
        leave_kind: kind,
        ...(kind === 'removed' && remover ? { by: { id: remover.id, name: remover.name() || remover.id } } : {}),
      },
    };
  }));
}

export async function topicEvent(room, newTopic, oldTopic, changer, date) {
  const time = isoTime(date);
  return {
    event: {
      id: `wx-topic-${room.id}-${Date.parse(time)}`,
      type: 'group_renamed',
      time,
      chat: await chatOf(room, newTopic),
      old_name: oldTopic,
      ...(changer ? { sender: await person(changer, room) } : {}),
    },
  };
}

/// The whole current member list with in-group nicknames. Members missing from it are gone in a
/// way the bridge cannot tell: `leave_kind: unknown`, never `by_self`.
export async function snapshotEvent(room, now = Date.now()) {
  await room.sync();
  const members = (await room.memberAll()).filter(notSelf(room));
  return {
    event: {
      id: `wx-sync-${room.id}-${now}`,
      type: 'group_snapshot',
      time: isoTime(now),
      chat: await chatOf(room),
      members: await Promise.all(members.map((c) => person(c, room))),
      by_self: false,
      leave_kind: 'unknown',
    },
  };
}
