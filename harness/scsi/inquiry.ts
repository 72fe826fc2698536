// INQUIRY data: the standard data, and the vital product data pages.
export * from './data-in/standard-inquiry';
export * from './data-in/vpd/decode-vpd-page';
export * from './data-in/vpd/supported-vpd-pages';
export * from './data-in/vpd/unit-serial-number';
export * from './data-in/vpd/device-identification';
export * from './data-in/vpd/designation-descriptor';
export * from './data-in/vpd/extended-inquiry-data';
export * from './data-in/vpd/block-limits';
export * from './data-in/vpd/block-device-characteristics';
export * from './data-in/vpd/logical-block-provisioning';
