/**
 * The part of Observable Plot the preview uses. plot.ts imports this module dynamically (so the
 * library is evaluated on first use); naming the functions here, instead of importing the whole
 * namespace, lets the bundler leave out the rest of the library.
 */
export { arrow, binX, cell, contour, dot, identity, line, plot, pointer, rectY, ruleY, tip } from '@observablehq/plot';
