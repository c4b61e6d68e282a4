/*
 * Writing the reply Alipay reads: status 200, `Content-Type: text/plain` (no charset
 * parameter: the body is ASCII), and a body of exactly `success` (7 bytes) or `fail` (4 bytes),
 * no newline. Runtime-neutral: the Node writer takes a structurally typed response.
 */

/** The one content type every adapter sends. */
export const REPLY_CONTENT_TYPE = 'text/plain';

/** The parts of an http.ServerResponse the writer uses. */
export interface NodeResponseLike {
  statusCode: number;
  readonly headersSent: boolean;
  readonly writableEnded?: boolean;
  setHeader(name: string, value: string): unknown;
  end(chunk: string): unknown;
  once(event: 'finish', listener: () => void): unknown;
}

/** The parts of an http.IncomingMessage closeAfterReply uses. */
export interface NodeRequestSocketLike {
  readonly complete?: boolean;
  readonly socket?: { destroy(): unknown } | null;
}

/**
 * Writes the reply on a Node response with the status line and headers set directly (not
 * through a framework's `res.type`/`res.send`, which add `; charset=utf-8`, an ETag or a
 * default content type). Returns false when a reply was already started by someone else.
 */
export function writeNodeReply(res: NodeResponseLike, body: 'success' | 'fail', options: { close?: boolean } = {}): boolean {
  if (res.headersSent || res.writableEnded === true) return false;
  res.statusCode = 200;
  res.setHeader('Content-Type', REPLY_CONTENT_TYPE);
  res.setHeader('Content-Length', String(body.length));
  if (options.close === true) res.setHeader('Connection', 'close');
  res.end(body);
  return true;
}

/**
 * After a refused body: once the reply is written, close the connection if the request body
 * was not read to its end, so that the rest of it is never read (Node would otherwise drain
 * it to keep the connection alive). A client still sending may then see a reset.
 */
export function closeAfterReply(req: NodeRequestSocketLike, res: Pick<NodeResponseLike, 'once'>): void {
  res.once('finish', () => {
    if (req.complete !== true) req.socket?.destroy();
  });
}

/** The reply as a Web Response: 200, `Content-Type: text/plain`, body `success` or `fail`. */
export function notifyResponse(body: 'success' | 'fail'): Response {
  return new Response(body, { status: 200, headers: { 'content-type': REPLY_CONTENT_TYPE } });
}
