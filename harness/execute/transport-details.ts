import type { SgIoDetails } from '../guest/sg-io-delivery';
import type { FrameDetails } from '../qtest/frame-delivery';

/** The fields only one transport has, kept beside the answer for the reports; judges read the Delivery instead. */
export type TransportDetails = SgIoDetails | FrameDetails;
