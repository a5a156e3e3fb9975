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
