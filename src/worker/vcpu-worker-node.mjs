// Bootstrap for Node: lets the worker thread load the TypeScript sources (tsx), then starts it.
import { register } from "tsx/esm/api";

register();
await import("./vcpu-worker-node.ts");
