// The one time base the worker and the host share: nanoseconds since the Unix epoch
// (performance.timeOrigin + performance.now() on both threads), imported from the worker.

@external("env", "nowNanos")
export declare function nowNanos(): f64;
