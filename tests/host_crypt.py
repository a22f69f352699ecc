"""The host's own crypt(3) (libxcrypt), for checking a password hash: Python's crypt module is gone from Python 3.13
(Debian 13), and its ctypes call is the same function the module wrapped."""
import ctypes

_libcrypt = ctypes.CDLL("libcrypt.so.1")
_libcrypt.crypt.restype = ctypes.c_char_p
_libcrypt.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]


def crypt(clear, setting):
    """crypt(3) of clear with setting (a whole hash: its method and salt are used); None when crypt refuses."""
    result = _libcrypt.crypt(clear.encode(), setting.encode())
    return result.decode() if result is not None else None
