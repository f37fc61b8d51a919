// One scripted session through ioredis against a dst-server on 127.0.0.1:PORT (the first argument):
// typed commands, a hash read as an object, a MULTI/EXEC transaction, a WATCH that aborts EXEC,
// pub/sub, a BLPOP woken by another client's push, a pipeline of 1,000 commands, a binary value,
// an error reply and a sorted set with scores. Prints one line per step for the test to compare.
"use strict";
const Redis = require("ioredis");

const port = Number(process.argv[2]);
const connect = () => new Redis({ host: "127.0.0.1", port, maxRetriesPerRequest: 1 });

async function main() {
  const r = connect();
  console.log(await r.call("str.put", "js:k1", "v1"), await r.get("js:k1"));
  await r.call("dict.put", "js:d", "a", "1", "b", "2");
  console.log(JSON.stringify(await r.hgetall("js:d")));

  console.log(JSON.stringify(await r.multi().set("js:n", 1).incr("js:n").get("js:n").exec()));

  const watcher = connect();
  await watcher.watch("js:w");
  await r.set("js:w", "someone else");
  console.log(JSON.stringify(await watcher.multi().set("js:w", "mine").exec()));

  const subscriber = connect();
  const message = new Promise((resolve) => subscriber.on("message", (channel, text) => resolve(`${channel} ${text}`)));
  console.log(await subscriber.subscribe("js:ch"));
  console.log(await r.publish("js:ch", "hi"));
  console.log(await message);

  const blocker = connect();
  const popped = blocker.blpop("js:q", 0);
  while (!/blocked_clients:[1-9]/.test(await r.info("clients"))) {
    // The pop must be parked before the push, or it would find the element without blocking.
  }
  await r.rpush("js:q", "job");
  console.log(JSON.stringify(await popped));

  const pipeline = r.pipeline();
  for (let i = 0; i < 1000; i++) {
    pipeline.incr("js:counter");
  }
  const replies = await pipeline.exec();
  console.log(replies.length, replies[999][1], replies.every(([error]) => error === null));

  const binary = Buffer.from([0, 255, 13, 10, 36, 42, 1]);
  await r.set("js:bin", binary);
  console.log((await r.getBuffer("js:bin")).equals(binary));

  try {
    await r.incr("js:k1");
    console.log("no error");
  } catch (error) {
    console.log(error.message);
  }

  await r.zadd("js:z", 2, "b", 1.5, "a");
  console.log(JSON.stringify(await r.zrange("js:z", 0, -1, "WITHSCORES")));

  for (const client of [r, watcher, subscriber, blocker]) {
    client.disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
