// The bridge: a logged-in Wechaty bot whose room events are spooled and posted to ledgerbot, and
// which says ledgerbot's notices in rooms and to people, one send at a time, paced.
import { FileBox } from 'file-box';
import { types } from 'wechaty';

import { botCanRemove, joinEvent, leaveEvents, messageEvent, snapshotEvent, topicEvent } from './normalize.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Bridge {
  /// `bot`: a Wechaty instance (not started). `options`: store (a Spool), sender, snapshotMinutes,
  /// snapshotDelayMs (after a room event), sendIntervalMs, roomFilter (RegExp or null), log.
  constructor(bot, options) {
    this.bot = bot;
    Object.assign(this, {
      snapshotMinutes: 60, snapshotDelayMs: 5000, sendIntervalMs: 2000, roomFilter: null, log: console,
    }, options);
    this.loggedIn = false;
    this.qrCode = '';
    this.lastEventAt = null;
    this.pendingSnapshots = new Map();
    this.sendQueue = Promise.resolve();
    this.lastSendAt = 0;
  }

  watches(topic) {
    return !this.roomFilter || this.roomFilter.test(topic ?? '');
  }

  /// Spools events (durably) and nudges the sender.
  async enqueue(items) {
    for (const item of [items].flat()) {
      if (!item) continue;
      await this.store.put(item);
      this.lastEventAt = new Date().toISOString();
    }
    this.sender.nudge();
  }

  async handle(what, work) {
    try {
      await work();
    } catch (error) {
      this.log.error(`${what}: ${error.message}`);
    }
  }

  async start() {
    const bot = this.bot;
    // Wechaty emits 'error' for things such as a room refreshed as if it were a contact: without a
    // listener Node would end the process.
    bot.on('error', (error) => this.log.warn(`wechaty: ${error?.message ?? error}`));
    bot.on('scan', (qrcode, status) => {
      this.qrCode = qrcode;
      this.log.info(`scan the login QR (status ${status}): ${qrcode}`);
    });
    bot.on('login', (user) => {
      this.loggedIn = true;
      this.qrCode = '';
      this.log.info(`logged in as ${user.name()} (${user.id})`);
      this.handle('snapshot at login', () => this.snapshotAll());
    });
    bot.on('logout', (user, reason) => {
      this.loggedIn = false;
      this.log.warn(`logged out (${reason ?? 'no reason given'})`);
    });
    bot.on('message', (message) => this.handle('message', async () => {
      const room = message.room();
      if (room && !this.watches(await room.topic())) return;
      await this.enqueue(await messageEvent(message, types.Message));
    }));
    bot.on('room-join', (room, invitees, inviter, date) => this.handle('room-join', async () => {
      if (!this.watches(await room.topic())) return;
      await this.enqueue(await joinEvent(room, invitees, inviter, date));
      this.snapshotSoon(room);
    }));
    bot.on('room-leave', (room, leavers, remover, date) => this.handle('room-leave', async () => {
      if (!this.watches(await room.topic())) return;
      await this.enqueue(await leaveEvents(room, leavers, remover, date, bot.currentUser?.id));
      this.snapshotSoon(room);
    }));
    bot.on('room-topic', (room, newTopic, oldTopic, changer, date) => this.handle('room-topic', async () => {
      // A rename may make a group a project group, or stop it being one: both are told.
      if (!this.watches(newTopic) && !this.watches(oldTopic)) return;
      await this.enqueue(await topicEvent(room, newTopic, oldTopic, changer, date));
      this.snapshotSoon(room);
    }));
    this.timer = setInterval(() => this.handle('hourly snapshot', () => this.snapshotAll()),
      this.snapshotMinutes * 60 * 1000);
    this.timer.unref?.();
    await bot.start();
  }

  async stop() {
    clearInterval(this.timer);
    for (const timer of this.pendingSnapshots.values()) clearTimeout(timer);
    this.pendingSnapshots.clear();
    await this.bot.stop();
  }

  /// One snapshot of the room a little after its events: nicknames and members settle first,
  /// and a burst of joins gives one snapshot.
  snapshotSoon(room) {
    clearTimeout(this.pendingSnapshots.get(room.id));
    this.pendingSnapshots.set(room.id, setTimeout(() => {
      this.pendingSnapshots.delete(room.id);
      this.handle('room snapshot', async () => this.enqueue(await snapshotEvent(room)));
    }, this.snapshotDelayMs));
  }

  async snapshotAll() {
    for (const room of await this.bot.Room.findAll()) {
      if (this.watches(await room.topic())) await this.enqueue(await snapshotEvent(room));
    }
  }

  /// Says a notice in WeChat: `target.kind` chat → the room, user → the person. Sends go one at
  /// a time with at least sendIntervalMs between them (WeChat bans accounts that send in bursts).
  deliver(notice) {
    const run = this.sendQueue.then(() => this.say(notice));
    this.sendQueue = run.catch(() => {});
    return run;
  }

  async say(notice) {
    if (!this.loggedIn) throw Object.assign(new Error('not logged in'), { status: 503 });
    const { kind, id } = notice.target;
    const target = kind === 'user'
      ? await this.bot.Contact.find({ id })
      : await this.bot.Room.find({ id });
    if (!target) throw Object.assign(new Error(`no ${kind === 'user' ? 'contact' : 'room'} ${id}`), { status: 404 });
    const wait = this.lastSendAt + this.sendIntervalMs - Date.now();
    if (wait > 0) await sleep(wait);
    const removals = notice.remove_members ?? [];
    if (removals.length > 0) await this.remove(target, kind, removals);
    await target.say(notice.text);
    for (const file of notice.attachments ?? []) {
      await sleep(this.sendIntervalMs);
      await target.say(FileBox.fromBase64(file.content_base64, file.file_name));
    }
    this.lastSendAt = Date.now();
  }

  /// ledgerbot's /移出: the members leave the room by the bot's hand, so WeChat reports the
  /// removal (room-leave with the bot as remover). A member already gone is skipped: a retry
  /// after a crash between the removal and the text removes nobody twice.
  async remove(room, kind, removals) {
    if (kind !== 'chat') throw Object.assign(new Error('members are removed from a room, not a person'), { status: 400 });
    if (botCanRemove(room) !== true) {
      throw Object.assign(new Error(`the bot does not own or administer room ${room.id}`), { status: 409 });
    }
    await room.sync();
    const present = new Set((await room.memberAll()).map((c) => c.id));
    for (const { id } of removals) {
      if (!present.has(id)) continue;
      const contact = await this.bot.Contact.find({ id });
      if (!contact) throw Object.assign(new Error(`no contact ${id}`), { status: 404 });
      await room.remove(contact);
      this.log.info(`removed ${id} from room ${room.id} at ledgerbot's request`);
      await sleep(this.sendIntervalMs);
    }
  }

  async health() {
    return {
      logged_in: this.loggedIn,
      last_event_at: this.lastEventAt,
      spooled: (await this.store.pending()).length,
      delivered: this.sender.delivered,
      last_error: this.sender.lastError,
    };
  }
}
