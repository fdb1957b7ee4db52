// Node entry of the vCPU worker: exposes a Vcpu over Comlink on worker_threads' parentPort.
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { parentPort } from "node:worker_threads";
import { Vcpu } from "./vcpu";

if (!parentPort) throw new Error("vcpu-worker-node must run in a worker thread");
Comlink.expose(new Vcpu(), nodeEndpoint(parentPort));
