// A sigma node program drawing each node as a filled shape with a border, in one pass.
// Shapes (circle, square, triangle, diamond, hexagon) carry the level, so what a reader
// tells apart never rests on colour alone; the border marks highlighted people.
import { NodeProgram } from "sigma/rendering";
import { floatColor } from "sigma/utils";

export const SHAPES = { dot: 0, square: 1, triangle: 2, diamond: 3, hexagon: 4 };

const VERTEX = /* glsl */ `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec4 a_borderColor;
attribute vec2 a_position;
attribute float a_size;
attribute float a_shape;
attribute float a_border;
attribute float a_angle;

uniform mat3 u_matrix;
uniform float u_sizeRatio;
uniform float u_correctionRatio;

varying vec4 v_color;
varying vec4 v_borderColor;
varying vec2 v_diffVector;
varying float v_radius;
varying float v_shape;
varying float v_border;

const float bias = 255.0 / 254.0;

void main() {
  float size = a_size * u_correctionRatio / u_sizeRatio * 4.0;
  vec2 diffVector = size * vec2(cos(a_angle), sin(a_angle));
  gl_Position = vec4((u_matrix * vec3(a_position + diffVector, 1)).xy, 0, 1);
  v_diffVector = diffVector;
  v_radius = size / 2.0;
  v_shape = a_shape;
  v_border = a_border * u_correctionRatio;
  v_borderColor = a_borderColor;
  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = a_color;
  #endif
  v_color.a *= bias;
}
`;

const FRAGMENT = /* glsl */ `
precision highp float;

varying vec4 v_color;
varying vec4 v_borderColor;
varying vec2 v_diffVector;
varying float v_radius;
varying float v_shape;
varying float v_border;

const vec4 transparent = vec4(0.0, 0.0, 0.0, 0.0);

// A norm whose level set at v_radius is the shape's outline.
float shapeNorm(vec2 d) {
  vec2 a = abs(d);
  if (v_shape < 0.5) return length(d);
  if (v_shape < 1.5) return max(a.x, a.y) / 0.8;
  if (v_shape < 2.5) return max(-2.0 * d.y, d.y + 1.732 * a.x) * 0.9;
  if (v_shape < 3.5) return (a.x + a.y) / 1.1;
  return max(a.x, 0.5 * a.x + 0.866 * a.y) / 0.9;
}

void main(void) {
  float n = shapeNorm(v_diffVector);
  #ifdef PICKING_MODE
  gl_FragColor = n > v_radius ? transparent : v_color;
  #else
  if (n > v_radius) {
    gl_FragColor = transparent;
  } else if (n > v_radius - v_border) {
    gl_FragColor = v_borderColor;
  } else {
    gl_FragColor = v_color;
  }
  #endif
}
`;

const { UNSIGNED_BYTE, FLOAT } = WebGLRenderingContext;

export class NodeShapeProgram extends NodeProgram {
  getDefinition() {
    return {
      VERTICES: 3,
      VERTEX_SHADER_SOURCE: VERTEX,
      FRAGMENT_SHADER_SOURCE: FRAGMENT,
      METHOD: WebGLRenderingContext.TRIANGLES,
      UNIFORMS: ["u_sizeRatio", "u_correctionRatio", "u_matrix"],
      ATTRIBUTES: [
        { name: "a_position", size: 2, type: FLOAT },
        { name: "a_size", size: 1, type: FLOAT },
        { name: "a_shape", size: 1, type: FLOAT },
        { name: "a_border", size: 1, type: FLOAT },
        { name: "a_color", size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: "a_borderColor", size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: "a_id", size: 4, type: UNSIGNED_BYTE, normalized: true },
      ],
      CONSTANT_ATTRIBUTES: [{ name: "a_angle", size: 1, type: FLOAT }],
      // A triangle large enough to hold the circle of radius size / 2.
      CONSTANT_DATA: [[0], [(2 * Math.PI) / 3], [(4 * Math.PI) / 3]],
    };
  }

  processVisibleItem(nodeIndex, startIndex, data) {
    const array = this.array;
    array[startIndex++] = data.x;
    array[startIndex++] = data.y;
    array[startIndex++] = data.size;
    array[startIndex++] = SHAPES[data.shape] ?? 0;
    array[startIndex++] = data.borderSize ?? 1;
    array[startIndex++] = floatColor(data.color);
    array[startIndex++] = floatColor(data.borderColor || "#333333");
    array[startIndex++] = nodeIndex;
  }

  setUniforms(params, { gl, uniformLocations }) {
    gl.uniform1f(uniformLocations.u_correctionRatio, params.correctionRatio);
    gl.uniform1f(uniformLocations.u_sizeRatio, params.sizeRatio);
    gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
  }
}
