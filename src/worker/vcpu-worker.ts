// Browser entry of the vCPU worker: exposes a Vcpu over Comlink.
import * as Comlink from "comlink";
import { Vcpu } from "./vcpu";

Comlink.expose(new Vcpu());
