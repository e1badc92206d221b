"""The one decorator views use to ask for a permission (the rules live in organisation/rules.py)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def permission_required(perm: str, *, model=None, lookup: str = "pk"):
    """Anonymous people are sent to log in; signed-in people without the permission get 403.

    With ``model``, the object named by the URL is loaded (404 if missing), checked, and
    passed to the view in place of its key.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if model is None:
                if not request.user.has_perm(perm):
                    raise PermissionDenied
                return view(request, *args, **kwargs)
            obj = get_object_or_404(model, **{lookup: kwargs.pop(lookup)})
            if not request.user.has_perm(perm, obj):
                raise PermissionDenied
            return view(request, obj, *args, **kwargs)

        return wrapped

    return decorator
