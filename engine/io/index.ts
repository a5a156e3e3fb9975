export { encodeSafetensors, decodeSafetensors, type SafetensorsMetadata } from './safetensors_format';
export { saveSafetensors, loadSafetensors, saveTensors, loadTensors, type TensorCollection } from './safetensors_file';
export { writeFileAtomic } from './atomic_write';
