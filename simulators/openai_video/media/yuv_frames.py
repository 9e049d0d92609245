"""Video frames built straight in yuv420p: the backdrop is converted once, each frame only paints the marker
and the clock into a copy of its three planes' bytes (a full RGB conversion per frame costs ten times more)."""

import av
from attrs import frozen
from PIL import Image

from simulators.openai_video.media.frame_design import MARKER_COLOR, FrameDesign


@frozen
class Plane:
    """One plane's bytes, `stride` bytes a row."""

    data: bytes
    stride: int
    rows: int


def yuv_planes(image: Image.Image) -> list[Plane]:
    """The Y, U and V planes of an RGB image of even width and height."""
    frame = av.VideoFrame.from_image(image).reformat(format="yuv420p")
    return [Plane(bytes(plane), plane.line_size, plane.height) for plane in frame.planes]


def _paste(target: bytearray, stride: int, patch: Plane, *, x: int, y: int, width: int) -> None:
    for row in range(patch.rows):
        start = (y + row) * stride + x
        target[start:start + width] = patch.data[row * patch.stride:row * patch.stride + width]


def _fill(target: bytearray, stride: int, box: tuple[int, int, int, int], value: int) -> None:
    left, top, right, bottom = box
    row = bytes([value]) * (right - left)
    for y in range(top, bottom):
        target[y * stride + left:y * stride + right] = row


class FrameWriter:
    """Makes the frame at any index of a FrameDesign at a frame rate."""

    def __init__(self, design: FrameDesign, fps: int):
        self.design, self.fps = design, fps
        self.width, self.height = design.size
        self.strides = [plane.line_size for plane in av.VideoFrame(self.width, self.height, "yuv420p").planes]
        self.backdrop = [self._restride(plane, stride) for plane, stride in zip(yuv_planes(design.backdrop),
                                                                                self.strides)]
        self.marker = [plane.data[0] for plane in yuv_planes(Image.new("RGB", (2, 2), MARKER_COLOR))]
        self.clocks = [yuv_planes(design.clock(second)) for second in range(design.seconds + 1)]

    @staticmethod
    def _restride(plane: Plane, stride: int) -> bytes:
        """The plane's rows laid out `stride` bytes apart, as the frames this writer makes expect."""
        if plane.stride == stride:
            return plane.data
        width = min(plane.stride, stride)
        target = bytearray(stride * plane.rows)
        _paste(target, stride, plane, x=0, y=0, width=width)
        return bytes(target)

    def frame(self, index: int) -> av.VideoFrame:
        t = index / self.fps
        box, clock = self.design.marker_box(t), self.clocks[min(int(t), self.design.seconds)]
        (clock_x, clock_y), clock_width = self.design.clock_position, self.design.clock_size[0]
        frame = av.VideoFrame(self.width, self.height, "yuv420p")
        for number, plane in enumerate(frame.planes):
            scale, stride = (1 if number == 0 else 2), self.strides[number]
            data = bytearray(self.backdrop[number])
            _fill(data, stride, (box[0] // scale, box[1] // scale, box[2] // scale, box[3] // scale),
                  self.marker[number])
            _paste(data, stride, clock[number], x=clock_x // scale, y=clock_y // scale, width=clock_width // scale)
            plane.update(data)
        return frame

    def frames(self) -> int:
        return self.design.seconds * self.fps
