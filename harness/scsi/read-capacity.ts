// READ CAPACITY (10) and (16) parameter data.
export * from './data-in/read-capacity';
