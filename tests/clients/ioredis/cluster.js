// ioredis in cluster mode (Redis.Cluster) against dst-server on 127.0.0.1:PORT (the first argument):
// it learns the slot map from CLUSTER SLOTS and sends each key to the node owning its slot. Writes
// and reads 200 keys spread over the slots, a multi-key command under one hash tag, and a pipeline.
"use strict";
const Redis = require("ioredis");
const slotOf = require("cluster-key-slot");

const port = Number(process.argv[2]);

async function main() {
  const cluster = new Redis.Cluster([{ host: "127.0.0.1", port }], { redisOptions: { maxRetriesPerRequest: 1 } });
  const keys = Array.from({ length: 200 }, (_, i) => `js:slot:${i}`);
  await Promise.all(keys.map((key, i) => cluster.set(key, String(i))));
  const values = await Promise.all(keys.map((key) => cluster.get(key)));
  console.log(values.every((value, i) => value === String(i)), new Set(keys.map(slotOf)).size);

  await cluster.mset("{js}:a", "1", "{js}:b", "2");
  console.log(JSON.stringify(await cluster.mget("{js}:a", "{js}:b")));

  const replies = await cluster.pipeline().incr("{js}:n").incr("{js}:n").get("{js}:n").exec();
  console.log(JSON.stringify(replies));

  console.log(cluster.nodes("master").length);
  cluster.disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
