// Page bootstrap: loads the wasm; its start function builds the page (CSP forbids inline scripts).
import init from './cdrscope.js';
init();
