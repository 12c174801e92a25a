// Server-Sent Events over fetch: EventSource cannot send an Authorization header. Reads the stream with a
// ReadableStream, and reconnects after a break with Last-Event-ID, so no event is missed or repeated.
import { authorization, requestId } from './api.js';

/**
 * Opens the stream at path. onEvent({id, event, data}) for each event; onState(state, detail) with 'open',
 * 'reconnecting', 'closed' or 'error'. Answers {close()}.
 */
export function openEventStream(path, { onEvent, onState = () => {}, lastEventId = null }) {
  const controller = new AbortController();
  let lastId = lastEventId;
  let retry = 3000;
  let closed = false;

  async function connect() {
    while (!closed) {
      try {
        const headers = { Accept: 'text/event-stream', 'X-Request-Id': requestId('stream'), ...authorization() };
        if (lastId !== null) headers['Last-Event-ID'] = String(lastId);
        const response = await fetch(path, { headers, signal: controller.signal, credentials: 'omit', cache: 'no-store' });
        if (!response.ok) {
          const body = await response.json().catch(() => ({}));
          const message = body.message || body.error?.message || `The stream answered ${response.status}`;
          if (response.status >= 400 && response.status < 500) {
            onState('error', message);
            return;
          }
          throw new Error(message);
        }
        onState('open');
        await read(response.body);
        if (!closed) onState('reconnecting');
      } catch (error) {
        if (closed || error.name === 'AbortError') return;
        onState('reconnecting', error.message);
      }
      await new Promise((resolve) => setTimeout(resolve, retry));
    }
  }

  async function read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { id: null, event: 'message', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (event.data.length) {
            if (event.id !== null) lastId = event.id;
            onEvent({ id: event.id, event: event.event, data: event.data.join('\n') });
          }
          event = { id: null, event: 'message', data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        let fieldValue = colon < 0 ? '' : line.slice(colon + 1);
        if (fieldValue.startsWith(' ')) fieldValue = fieldValue.slice(1);
        if (name === 'data') event.data.push(fieldValue);
        else if (name === 'event') event.event = fieldValue;
        else if (name === 'id') event.id = fieldValue;
        else if (name === 'retry' && /^\d+$/.test(fieldValue)) retry = Number(fieldValue);
      }
    }
  }

  connect();
  return {
    close() {
      closed = true;
      controller.abort();
      onState('closed');
    },
    lastEventId: () => lastId,
  };
}
