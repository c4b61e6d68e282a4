// node-forge ships no types for its per-module entry points; they return the same object.
declare module 'node-forge/lib/forge.js' {
  import forge from 'node-forge';
  export default forge;
}
