import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';

// The start of a PostgreSQL connection, as a server sees it (protocol 3.0), up to and including a
// SCRAM-SHA-256 password exchange (RFC 5802 / 7677), the method PostgreSQL itself uses by default.
// PGlite has no authentication at all: this gate stands in front of it.

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const ITERATIONS = 4096;

/** Reads whole messages from a socket that has not been handed on yet. */
class MessageReader {
  private buffer = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private ended = false;
  private readonly onData = (d: Buffer) => {
    this.buffer = Buffer.concat([this.buffer, d]);
    this.wake?.();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake?.();
  };

  constructor(private readonly socket: Socket) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
  }

  private async take(n: number): Promise<Buffer> {
    while (this.buffer.length < n) {
      if (this.ended) throw new Error('the client closed the connection');
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  /** A startup-phase packet: int32 length (itself included), then the body. */
  async packet(): Promise<Buffer> {
    const length = (await this.take(4)).readInt32BE(0);
    if (length < 8 || length > 10_000) throw new Error('not a PostgreSQL startup packet');
    return this.take(length - 4);
  }

  /** A typed message: one byte of type, int32 length, the body. */
  async message(): Promise<{ type: string; body: Buffer }> {
    const head = await this.take(5);
    const length = head.readInt32BE(1);
    if (length < 4 || length > 10_000) throw new Error('message too long for the password exchange');
    return { type: String.fromCharCode(head[0]!), body: await this.take(length - 4) };
  }

  /** Stops reading; returns what the client already sent beyond the last message. */
  release(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    return this.buffer;
  }
}

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function authentication(code: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const c = Buffer.alloc(4);
  c.writeInt32BE(code, 0);
  return message('R', Buffer.concat([c, data]));
}

/** A FATAL ErrorResponse, as PostgreSQL sends it for a wrong password. */
function fatal(code: string, text: string): Buffer {
  const field = (k: string, v: string) => Buffer.concat([Buffer.from(k, 'latin1'), Buffer.from(v, 'utf8'), Buffer.from([0])]);
  return message('E', Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', code), field('M', text), Buffer.from([0])]));
}

function cstring(buf: Buffer, at: number): { value: string; next: number } {
  const end = buf.indexOf(0, at);
  if (end < 0) throw new Error('malformed message');
  return { value: buf.toString('utf8', at, end), next: end + 1 };
}

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

/** The user named in a StartupMessage body (after the protocol version). */
function startupUser(body: Buffer): string {
  let at = 4;
  while (at < body.length && body[at] !== 0) {
    const key = cstring(body, at);
    const value = cstring(body, key.next);
    if (key.value === 'user') return value.value;
    at = value.next;
  }
  return '';
}

/** What a client that passed the gate sent: its StartupMessage (to replay to PGlite) and any bytes after. */
export interface PassedClient {
  startup: Buffer;
  rest: Buffer;
}

/**
 * Runs the start of a connection on `socket` and lets it through only when the client proves it
 * knows `secret` (SCRAM-SHA-256: the secret never crosses the wire). Answers SSL and GSS
 * encryption requests with "no"; refuses cancel requests (PGlite cannot cancel) and everything
 * else. Resolves with the client's StartupMessage, or null after refusing it (28P01, as
 * PostgreSQL does) and closing the socket.
 *
 * @example
 * const passed = await scramGate(socket, secret); if (passed) proxyTo(pglite, passed);
 */
export async function scramGate(socket: Socket, secret: string, timeoutMs = 10_000): Promise<PassedClient | null> {
  const reader = new MessageReader(socket);
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  const refuse = (code: string, text: string) => {
    reader.release();
    if (socket.writable) socket.end(fatal(code, text));
    else socket.destroy();
    return null;
  };
  try {
    let startup: Buffer;
    for (;;) {
      const body = await reader.packet();
      const code = body.readInt32BE(0);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        socket.write('N');
        continue;
      }
      if (code === CANCEL_REQUEST) return refuse('0A000', 'cancel requests are not supported by the embedded database');
      if (code !== PROTOCOL_3) return refuse('08P01', `unsupported frontend protocol ${code >> 16}.${code & 0xffff}`);
      startup = body;
      break;
    }
    const user = startupUser(startup);
    const failed = () => refuse('28P01', `password authentication failed for user "${user}"`);

    socket.write(authentication(10, Buffer.from('SCRAM-SHA-256\0\0', 'latin1')));
    const first = await reader.message();
    if (first.type !== 'p') return failed();
    const mechanism = cstring(first.body, 0);
    if (mechanism.value !== 'SCRAM-SHA-256') return failed();
    const clientFirst = first.body.toString('utf8', mechanism.next + 4);
    // gs2 header: "n,," (no channel binding) or "y,," (client could, server cannot: no TLS here).
    const gs2 = clientFirst.match(/^([ny]),(?:a=[^,]*)?,/);
    if (!gs2) return failed();
    const clientFirstBare = clientFirst.slice(gs2[0].length);
    const clientNonce = /(?:^|,)r=([^,]+)/.exec(clientFirstBare)?.[1];
    if (!clientNonce) return failed();

    const salt = randomBytes(16);
    const nonce = clientNonce + randomBytes(18).toString('base64');
    const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${ITERATIONS}`;
    socket.write(authentication(11, Buffer.from(serverFirst, 'utf8')));

    const final = await reader.message();
    if (final.type !== 'p') return failed();
    const clientFinal = final.body.toString('utf8');
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt < 0) return failed();
    const withoutProof = clientFinal.slice(0, proofAt);
    const binding = /(?:^|,)c=([^,]+)/.exec(withoutProof)?.[1];
    const finalNonce = /(?:^|,)r=([^,]+)/.exec(withoutProof)?.[1];
    if (binding !== Buffer.from(gs2[0]).toString('base64') || finalNonce !== nonce) return failed();
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');

    const salted = pbkdf2Sync(secret, salt, ITERATIONS, 32, 'sha256');
    const storedKey = sha256(hmac(salted, 'Client Key'));
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, authMessage);
    if (proof.length !== signature.length) return failed();
    const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]!));
    if (!timingSafeEqual(sha256(clientKey), storedKey)) return failed();

    const serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    socket.write(authentication(12, Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8')));
    const length = Buffer.alloc(4);
    length.writeInt32BE(startup.length + 4, 0);
    return { startup: Buffer.concat([length, startup]), rest: reader.release() };
  } catch {
    reader.release();
    socket.destroy();
    return null;
  } finally {
    clearTimeout(timer);
  }
}
