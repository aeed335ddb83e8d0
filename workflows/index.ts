// Every workflow the worker registers. Workflow code is deterministic: no I/O, no connector code.
export { probeWorkflow } from './probe';
export { loadWorkflow } from './load';
export { captureWorkflow } from './capture';
export { bridgeWorkflow } from './bridge';
