// `bert inspect_checkpoint`: TF's tensorflow/python/tools/inspect_checkpoint.py, on a TF
// checkpoint (prefix, PREFIX.index or a directory) or a .safetensors file (Google names).
// --verify_crc is a bert-ts addition; it exits 1 when a tensor's crc32c does not match.
import { bool, str, strDefault } from './flags.js';
import { defineScript } from './script.js';
import { inspectCheckpoint } from '../formats/checkpoint/inspect.js';
import { FormatError } from '../util/errors.js';

const FLAGS = {
  file_name: str({
    required: true,
    help: 'Checkpoint filename. Note, if using Checkpoint V2 format, file_name is the shared prefix between all files in the checkpoint.',
  }),
  tensor_name: strDefault('', 'Name of the tensor to inspect'),
  all_tensors: bool(false, 'If True, print the names and values of all the tensors.'),
  all_tensor_names: bool(false, 'If True, print the names of all the tensors.'),
  verify_crc: bool(
    true,
    'bert-ts: when listing, read every tensor and check its crc32c against the index.',
  ),
};

export default defineScript({
  name: 'inspect_checkpoint',
  summary:
    "Lists a checkpoint's tensors (names, dtypes, shapes, crc status) or prints their values.",
  flags: FLAGS,
  async main(f) {
    const ok = inspectCheckpoint(
      {
        fileName: f.file_name!,
        tensorName: f.tensor_name,
        allTensors: f.all_tensors,
        allTensorNames: f.all_tensor_names,
        verifyCrc: f.verify_crc,
      },
      (line) => process.stdout.write(line + '\n'),
    );
    if (!ok)
      throw new FormatError(
        `${f.file_name}: some tensors do not match their crc32c (listed above)`,
      );
  },
});
