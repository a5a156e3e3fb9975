/** The queue behind the custom editor's edits and the run manager's start requests. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedQueue } from '../../extension/keyed_queue';

/** A task that records when it starts and ends, finishing when `release` is called. */
function gate(log: string[], name: string, fail = false) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  const task = async () => {
    log.push(`${name} start`);
    await done;
    log.push(`${name} end`);
    if (fail) throw new Error(`${name} failed`);
    return name;
  };
  return { task, release };
}

test('tasks of one key run one after the other, also after one fails; other keys do not wait', async () => {
  const queue = new KeyedQueue();
  const log: string[] = [];
  const a = gate(log, 'a1', true);
  const b = gate(log, 'a2');
  const c = gate(log, 'b1');
  const first = queue.run('a', a.task);
  const second = queue.run('a', b.task);
  const other = queue.run('b', c.task);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log, ['a1 start', 'b1 start'], 'a2 waits for a1; b1 does not');
  a.release();
  await assert.rejects(first, /a1 failed/);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log, ['a1 start', 'b1 start', 'a1 end', 'a2 start']);
  b.release();
  c.release();
  assert.equal(await second, 'a2');
  assert.equal(await other, 'b1');
});

test('idle settles once the tasks of a key queued so far have, even when one failed: what a save waits for', async () => {
  const queue = new KeyedQueue();
  const log: string[] = [];
  assert.equal(queue.busy('doc'), false);
  const a = gate(log, 'edit1', true);
  const b = gate(log, 'edit2');
  void queue.run('doc', a.task).catch(() => undefined);
  void queue.run('doc', b.task);
  assert.equal(queue.busy('doc'), true);
  let idle = false;
  const waiting = queue.idle('doc').then(() => (idle = true));
  a.release();
  await new Promise((r) => setImmediate(r));
  assert.equal(idle, false, 'edit2 is still running');
  b.release();
  await waiting;
  assert.deepEqual(log, ['edit1 start', 'edit1 end', 'edit2 start', 'edit2 end']);
  await new Promise((r) => setImmediate(r));
  assert.equal(queue.busy('doc'), false);
});
