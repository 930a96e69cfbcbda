import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

/**
 * Writes a one-frame Y4M video of a QR code holding `text`, for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`, which loops it): black modules on white, a 4-module quiet
 * zone, the largest whole number of pixels per module that fits. Y4M is raw YUV 4:2:0, so
 * grey levels are the Y plane alone and the colour planes are neutral (128).
 */
export function writeQrY4m(text: string, file: string, width = 1280, height = 960): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'L' });
  const span = modules.size + 8;
  const scale = Math.floor(Math.min(width, height) / span);
  if (scale < 2) throw new Error(`a ${modules.size}-module QR code does not fit ${width}x${height}`);
  const left = Math.floor((width - modules.size * scale) / 2);
  const top = Math.floor((height - modules.size * scale) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      for (let y = 0; y < scale; y++) luma.fill(16, (top + row * scale + y) * width + left + col * scale, (top + row * scale + y) * width + left + (col + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`), luma, chroma]));
}
