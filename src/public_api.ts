// The bert-ts library API, the same on both hosts: src/index.ts ('bert-ts', Node) and src/web.ts
// ('bert-ts/web', a browser's Web Worker) install their host and re-export this. First the
// application API on strings (Classifier, Encoder, Tokenizer, model folders, the shipped assets);
// then each pipeline stage's public pieces.
export { Classifier, type ClassifierLoadOptions, type Prediction } from './api/classifier.js';
export { Encoder, type EmbedOptions, type Pooling } from './api/encoder.js';
export {
  Tokenizer,
  type Encoding,
  type EncodeOptions,
  type TokenizerLoadOptions,
} from './api/tokenizer.js';
export { type TextPair, type LoadOptions } from './api/inputs.js';
export { type FineTuneOptions, type LabeledPair } from './api/fine_tune.js';
export { type StepInfo } from './train/runners/run_options.js';
export { BertError, UsageError, FormatError, ShapeError, ConfigError } from './util/errors.js';
export { type Logger, stderrLogger, silentLogger } from './util/log.js';
export { readTFRecords, TFRecordWriter, frameRecord } from './formats/tfrecord.js';
export {
  type Feature,
  encodeExample,
  decodeExample,
  intFeature,
  floatFeature,
  bytesFeature,
} from './formats/example.js';
export { crc32c, maskCrc, unmaskCrc, maskedCrc32c } from './formats/crc32c.js';
export { decodeUtf8Ignore, convertToUnicode } from './util/utf8.js';
export { readTsv, parseTsv, type TsvRow } from './data/tsv.js';
export {
  type InputExample,
  type DataProcessor,
  type TaskLayout,
  type SplitLayout,
  TsvTaskProcessor,
} from './data/glue/processor.js';
export { getProcessor, TASK_NAMES, type ProcessorOptions } from './data/glue/registry.js';
export {
  type InputFeatures,
  type ExampleTokenizer,
  convertSingleExample,
  convertExamplesToFeatures,
  truncateSeqPair,
} from './data/features.js';
export {
  featuresToExample,
  writeFeaturesTFRecord,
  readFeaturesTFRecord,
  fileBasedConvertExamplesToFeatures,
} from './data/classifier_tfrecord.js';
export {
  createFinetuningData,
  splitExamples,
  type Split,
  type FinetuningDataOptions,
} from './data/finetuning_data.js';
export { pyFloatRepr, npFloat32Str, pyRound } from './util/py_format.js';
export { Vocab, UnknownTokenError } from './tokenization/vocab.js';
export { BasicTokenizer } from './tokenization/basic.js';
export { WordpieceTokenizer } from './tokenization/wordpiece.js';
export { FullTokenizer } from './tokenization/full.js';
export { validateCaseMatchesCheckpoint } from './tokenization/validate_case.js';
export { createReferenceKernels } from './engine/reference/index.js';
export {
  createKernels,
  nativeAvailable,
  type Backend,
  type KernelOptions,
  type Kernels,
} from './engine/index.js';
export {
  BertModel,
  type BertBatch,
  type BertOutputs,
  type ForwardOptions,
} from './model/bert_model.js';
export {
  ParamLayout,
  addBertParams,
  type ParamEntry,
  type BertConfigFields,
} from './model/layout.js';
export { ParameterStore, type NamedParameter } from './model/parameters.js';
export { initParameters } from './model/init.js';
export {
  ClassifierHead,
  addClassifierParams,
  type ClassifierResult,
} from './model/heads/classifier.js';
export {
  createTaskModel,
  forward,
  forwardBackward,
  type TaskModel,
  type TaskModelOptions,
  type HeadSpec,
} from './model/task_model.js';
export { createClassifierModel, type ClassifierModel } from './model/classifier_model.js';
export { createSquadModel, type SquadModel } from './model/squad_model.js';
export { createPretrainingModel, type PretrainingModel } from './model/pretraining_model.js';
export {
  PretrainingHead,
  addPretrainingParams,
  type PretrainingLabels,
  type PretrainingResult,
} from './model/heads/pretraining.js';
export {
  SquadHead,
  addSquadParams,
  type SquadLabels,
  type SquadResult,
} from './model/heads/squad.js';
export { extractFeatures, type ExtractFeaturesOptions } from './train/runners/extract_features.js';
export { PyRandom } from './util/py_random.js';
export {
  createPretrainingData,
  createTrainingInstances,
  instancesFromDocuments,
  type PretrainingDataOptions,
  type PretrainingWriteOptions,
} from './data/pretraining/create_pretraining_data.js';
export { pretrainingVocab, readDocuments } from './data/pretraining/documents.js';
export {
  createInstancesFromDocument,
  type TrainingInstance,
} from './data/pretraining/instances.js';
export { createMaskedLmPredictions } from './data/pretraining/masking.js';
export { instanceFeatures, ExampleFilesWriter } from './data/pretraining/write_examples.js';
export { brownFiles, brownPretrainingText } from './data/corpus/brown.js';
export { learningRate, trainSteps, type ScheduleOptions } from './train/schedule.js';
export {
  AdamWeightDecay,
  globalNormClip,
  slotNames,
  CREATE_OPTIMIZER_DEFAULTS,
} from './train/adam_weight_decay.js';
export {
  accuracy,
  f1,
  matthewsCorrelation,
  pearson,
  spearman,
  averageRanks,
} from './train/metrics.js';
export {
  saveTrainingCheckpoint,
  restoreTrainingCheckpoint,
  initFromCheckpoint,
  latestCheckpoint,
  type NamedView,
} from './train/checkpoint_io.js';
export { trainLoop, type TrainLoopOptions, type StepOutcome } from './train/loop.js';
export { trainingOrder } from './train/batches.js';
export { writeEvalResults, writeTestResults, type EvalResults } from './train/results.js';
export { trainingCurveSvg } from './train/plot.js';
export {
  runClassifier,
  RUN_CLASSIFIER_DEFAULTS,
  type RunClassifierOptions,
} from './train/runners/run_classifier.js';
export { runPretraining, type RunPretrainingOptions } from './train/runners/run_pretraining.js';
export { loadWeights, storeViews, slotViews } from './train/model_weights.js';
export { BertConfig } from './model/config.js';
export {
  type Tensor,
  type DType,
  numElements,
  toFloat32,
  halfToFloat,
} from './formats/checkpoint/tensor.js';
export {
  type CheckpointSource,
  type TensorInfo,
  type LazyTensor,
  openCheckpoint,
  lazyTensors,
} from './formats/checkpoint/source.js';
export { TFCheckpointReader } from './formats/checkpoint/bundle_reader.js';
export { writeTFCheckpoint, encodeBundleIndex } from './formats/checkpoint/bundle_writer.js';
export {
  resolveCheckpointPrefix,
  readCheckpointState,
  updateCheckpointStateFile,
  type CheckpointState,
} from './formats/checkpoint/paths.js';
export { SafetensorsFile, writeSafetensors } from './formats/safetensors.js';
export { googleToHf, hfToGoogle, isTrainingState } from './formats/hf_names.js';
export { convertCheckpoint, hfTensors } from './formats/checkpoint/convert.js';
export { inspectCheckpoint, type InspectOptions } from './formats/checkpoint/inspect.js';
export { numpyStr } from './formats/checkpoint/np_print.js';
export { EventFileWriter, readEvents, type TBEvent } from './formats/events.js';
export {
  readModelFolder,
  findWeights,
  modelMeta,
  modelMetaJson,
  parseModelMeta,
  writeModelFiles,
  META_FILE,
  type ModelFolder,
  type ModelMeta,
  type ModelMetaFields,
} from './api/model_folder.js';
export {
  packageDir,
  modelsDir,
  dataDir,
  pretrainedModelPath,
  pretrainedModels,
  DEFAULT_PRETRAINED_MODEL,
} from './api/assets.js';
export { exportModel, type ExportModelOptions } from './export/export_model.js';
export { writeHfFolder, type ExportSource } from './export/hf_folder.js';
