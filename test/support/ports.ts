// Tests take free ports the same way the console's own local servers do.
export { freeLoopbackPort as freePort, waitForPort } from '../../src/main/local-servers/free-port';
