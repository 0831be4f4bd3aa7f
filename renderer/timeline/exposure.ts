// The timeline classifies rows with the one rule the filter, the exports and the report use.
export { exposureClassifier, EXPOSURE_CLASS_LABEL, type ExposureClass } from '../../shared/exposure-rule';
