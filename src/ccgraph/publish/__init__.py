"""Publishing: releases, their description, and the diff between two"""
